"""Monitors: destroying a monitored socket's context reaps socket and monitor alike."""

from __future__ import annotations

from reliability.harness import run_scenario


def test_monitor_cycles_with_context_destroy_leave_fds_and_threads_flat() -> None:
    grown = run_scenario("monitor_cycles", "context", 50).result
    # flat: no growth per cycle (a descriptor or two of noise from the allocator)
    assert grown["fds"] <= 2, grown
    assert grown["threads"] <= 0, grown
