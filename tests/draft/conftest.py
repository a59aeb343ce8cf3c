"""Tests of libzmq's draft API. They need a build with it (``ZMQ_DRAFT_API=1``, see
docs/DRAFT.md) and skip elsewhere, saying so; with ``ZMQ_REQUIRE_DRAFT_API=1`` (set by CI
for its draft build) a build without the draft API fails them instead of skipping, so a
broken draft build cannot pass by skipping."""

from __future__ import annotations

import os

import pytest

import zmq

REQUIRED = os.environ.get("ZMQ_REQUIRE_DRAFT_API") == "1"
NO_DRAFT = "needs zmq built with libzmq's draft API (ZMQ_DRAFT_API=1, see docs/DRAFT.md)"


@pytest.fixture
def draft() -> None:
    """Use in tests that need the draft API."""
    if zmq.DRAFT_API:
        return
    if REQUIRED:
        pytest.fail(f"ZMQ_REQUIRE_DRAFT_API=1, but this zmq has no draft API: {NO_DRAFT}")
    pytest.skip(NO_DRAFT)


@pytest.fixture
def no_draft() -> None:
    """Use in tests of what a build without the draft API does."""
    if zmq.DRAFT_API:
        pytest.skip("this build has the draft API (its errors without it are tested elsewhere)")
