"""destroy() while other threads (or coroutines, greenlets) block on the context's
sockets: every call ends with ContextTerminated, every thread joins, no abort."""

from __future__ import annotations

import importlib.util

import pytest
from reliability.harness import run_scenario


@pytest.mark.parametrize("how", ["destroy", "destroy_linger0"])
def test_destroy_while_threads_block_in_every_call(how: str) -> None:
    # the scenario's watchdog (45 s) fires before pytest's timeout: a hang shows its stacks
    calls = run_scenario("destroy_while_blocked", how, 5, timeout=45).result["calls"]
    # every kind of call was reached and ended by the context's end
    assert {
        "recv",
        "recv_multipart",
        "send",
        "send_multipart",
        "poll",
        "poller",
        "select",
        "proxy",
        "single_socket_proxy",
    } <= set(calls)
    assert set(calls.values()) == {"ContextTerminated"}, calls


def test_destroy_while_coroutines_wait() -> None:
    waits = run_scenario("destroy_async", "asyncio").result["waits"]
    # pending futures of a closed socket are cancelled; a pending poll fails
    assert waits == {
        "recv": "CancelledError",
        "recv_multipart": "CancelledError",
        "send": "CancelledError",
        "poll": "ZMQError",
    }


@pytest.mark.skipif(importlib.util.find_spec("gevent") is None, reason="needs gevent")
def test_destroy_while_greenlets_wait() -> None:
    waits = run_scenario("destroy_async", "gevent").result["waits"]
    assert waits == {"recv": "ZMQError", "send": "ZMQError", "poll": "ZMQError"}
