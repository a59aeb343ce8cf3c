"""Zero-copy lifetimes: done means the sent object is the caller's again, at once."""

from __future__ import annotations

import pytest
from reliability.harness import run_scenario

ITERATIONS = 100_000
RSS_LIMIT_KB = 5 * 1024


@pytest.mark.parametrize("mode", ["reuse", "fresh", "frame"])
def test_buffer_released_when_tracker_done(mode: str) -> None:
    result = run_scenario("zerocopy_release", mode, ITERATIONS, 65536, timeout=120).result
    assert result["rss_growth_kb"] < RSS_LIMIT_KB, result


def test_never_done_while_libzmq_may_read() -> None:
    result = run_scenario("zerocopy_not_early", 200).result
    assert result["queued_not_done"] > 0, result
