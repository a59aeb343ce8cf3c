"""The shared socket fixtures (tests/conftest.py) with zmq.green's Context."""

from __future__ import annotations

import pytest


@pytest.fixture
def Context() -> type:
    import zmq.green

    return zmq.green.Context
