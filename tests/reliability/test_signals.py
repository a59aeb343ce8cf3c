"""Signal storms: no EINTR reaches user code, nothing is lost, handlers run, and
SIGINT interrupts every blocking call promptly, after which the process exits cleanly."""

from __future__ import annotations

import signal
import sys
import time

import pytest
from reliability.harness import finish, run_scenario, start_scenario

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

STORM_SECONDS = 1.5


@pytest.mark.parametrize(
    "kind", ["recv", "multipart", "frames", "poll", "poller", "select", "proxy", "stream"]
)
def test_signal_storm(kind: str) -> None:
    result = run_scenario("signal_storm", kind, STORM_SECONDS).result
    # the storm really hit: handlers ran, in the main thread and the others' calls
    assert result["handled"] > 100, result
    assert result["thread_signals"] > 100, result


@pytest.mark.parametrize(
    "call",
    [
        "recv",
        "recv_multipart",
        "recv_frame",
        "recv_into",
        "poll",
        "poller",
        "select",
        "send_hwm",
        "send_multipart_hwm",
        "proxy",
        "device",
        "tracker",
        "term",
    ],
)
def test_sigint_interrupts_promptly_and_exits_cleanly(call: str) -> None:
    child = start_scenario("sigint_in", call)
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.2)  # let it block (a signal that comes earlier is handled too)
        sent_at = time.monotonic()
        child.send_signal(signal.SIGINT)
    except BaseException:
        child.kill()
        raise
    outcome = finish(child, 20, f"sigint in {call}")
    assert outcome.returncode == 0, outcome.output
    assert outcome.result is not None, outcome.output
    latency = outcome.result["interrupted_at"] - sent_at
    assert latency < 0.1, f"KeyboardInterrupt after {latency * 1000:.0f} ms"
