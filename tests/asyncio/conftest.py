"""The shared socket fixtures, with zmq.asyncio's Context."""

from __future__ import annotations

import pytest

import zmq.asyncio


@pytest.fixture
def Context() -> type:
    return zmq.asyncio.Context
