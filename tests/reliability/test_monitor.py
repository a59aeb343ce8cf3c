"""Monitors: however a monitored socket and its monitor end, repeated monitor cycles
leave descriptor and thread counts flat.

libzmq 4.3 sends a monitor's last events with blocking sends from its reaper or I/O
thread; if the monitor's PAIR is already gone, that thread waits forever and the
context never frees another socket (5 descriptors per cycle here, and the next
connect can hang). ``close()`` therefore stops a ``get_monitor_socket()`` monitor first.
"""

from __future__ import annotations

import pytest
from reliability.harness import run_scenario

import zmq

CYCLES = 50


def assert_flat(grown: dict[str, int]) -> None:
    assert grown["fds"] <= 0, grown
    assert grown["threads"] <= 0, grown
    # not asserted: grown["max_pending_fds"], what the reaper had not freed yet at some
    # point, is timing (a starved reaper can fall behind by every cycle, then catch up)


def test_monitor_cycles_with_context_destroy_leave_fds_and_threads_flat() -> None:
    assert_flat(run_scenario("monitor_cycles", "context", CYCLES).result)


@pytest.mark.parametrize("how", ["socket", "monitor-first", "drop", "cycle", "disable", "bind"])
def test_monitor_cycles_in_one_context_leave_fds_and_threads_flat(how: str) -> None:
    grown = run_scenario("monitor_cycles", how, CYCLES).result
    assert_flat(grown)
    if how == "socket":
        # the monitor is stopped by close(), so its last event is there at once
        assert grown["monitor_stopped_events"] == CYCLES, grown


def test_only_the_owner_stops_the_monitor() -> None:
    # a shadow's or a forked child's close must not touch the owner's libzmq socket
    result = run_scenario("monitor_owner_only").result
    assert result == {"child_status": 0, "last_event": zmq.EVENT_MONITOR_STOPPED}, result
