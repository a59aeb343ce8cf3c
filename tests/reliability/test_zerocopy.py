"""Zero-copy lifetimes: done means the sent object is the caller's again, at once."""

from __future__ import annotations

import platform

import pytest
from reliability.harness import run_scenario

PYPY = platform.python_implementation() == "PyPy"
# PyPy is ~30x slower here (and a dropped Frame waits for a collection): fewer rounds
ITERATIONS = {"reuse": 100_000, "fresh": 100_000, "frame": 100_000}
if PYPY:
    ITERATIONS = {"reuse": 10_000, "fresh": 10_000, "frame": 200}
RSS_LIMIT_KB = 5 * 1024


@pytest.mark.timeout(150)
@pytest.mark.parametrize("mode", ["reuse", "fresh", "frame"])
def test_buffer_released_when_tracker_done(mode: str) -> None:
    result = run_scenario("zerocopy_release", mode, ITERATIONS[mode], 65536, timeout=120).result
    assert result["rss_growth_kb"] < RSS_LIMIT_KB, result


def test_never_done_while_libzmq_may_read() -> None:
    result = run_scenario("zerocopy_not_early", 200).result
    assert result["queued_not_done"] > 0, result
