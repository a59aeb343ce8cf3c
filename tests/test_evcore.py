"""zmq._evcore.EdgeCore on its own: real sockets, the adapter's hooks played by the test.

The adapters' behaviour over it is tested with each adapter (tests/asyncio,
tests/eventloop); here are the core's own rules: when it reads ZMQ_EVENTS, the consumer,
drain limits, rescheduling, and its "schedule me" flag under another thread.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable

import pytest

import zmq
from zmq._evcore import BATCH, Consumer, EdgeCore, Request


class Hooks:
    """The adapter side: counts EVENTS reads; a scheduled run is kept until ``turn()``."""

    def __init__(self, sock: zmq.Socket[Any]) -> None:
        self.sock = sock
        self.reads = 0
        self.pending: list[Callable[[], None]] = []
        self.idle = 0
        self.core = EdgeCore(self.events, self.schedule, self.on_idle, lambda: sock.closed)

    def events(self) -> int:
        self.reads += 1
        return int(self.sock.get(zmq.EVENTS))

    def schedule(self) -> bool:
        self.pending.append(self.core.run)
        return True

    def on_idle(self) -> None:
        self.idle += 1

    def turn(self) -> None:
        pending, self.pending = self.pending, []
        for run in pending:
            run()


class Future:
    def __init__(self) -> None:
        self.outcome: Any = None
        self.state = "pending"

    def done(self) -> bool:
        return self.state != "pending"

    def set_result(self, result: Any) -> None:
        self.outcome, self.state = result, "done"

    def set_exception(self, exc: BaseException) -> None:
        self.outcome, self.state = exc, "failed"

    def cancel(self) -> None:
        self.state = "cancelled"


@pytest.fixture
def pipe(socket: Callable[..., Any]) -> tuple[Any, Any]:
    """(push, pull) over inproc with unlimited queues: sends never block."""
    push, pull = socket(zmq.PUSH), socket(zmq.PULL)
    for s in (push, pull):
        s.linger = 0
        s.sndhwm = s.rcvhwm = 0
    pull.bind(f"inproc://evcore-{id(pull)}")
    push.connect(pull.last_endpoint)
    return push, pull


def consumer(pull: Any, got: list[Any]) -> Consumer:
    def failed(exc: Exception) -> None:
        raise AssertionError(f"receive failed: {exc!r}")

    return Consumer(lambda: pull.recv(zmq.NOBLOCK), got.append, failed)


@pytest.fixture
def receiving(pipe: tuple[Any, Any]) -> tuple[Any, Hooks, list[bytes]]:
    """(push, hooks, received): a core whose consumer appends to ``received``."""
    push, pull = pipe
    hooks = Hooks(pull)
    got: list[bytes] = []
    hooks.core.consumer = consumer(pull, got)
    return push, hooks, got


def arrive(push: Any, hooks: Hooks, messages: list[bytes]) -> None:
    """Send ``messages``; return once they can be received."""
    for m in messages:
        push.send(m)
    assert hooks.sock.poll(10_000) == zmq.POLLIN


def test_a_flood_costs_few_events_reads(pipe: tuple[Any, Any]) -> None:
    push, pull = pipe
    n = 10 * BATCH
    for i in range(n):
        push.send(b"%d" % i)
    hooks = Hooks(pull)
    got: list[bytes] = []
    hooks.core.consumer = consumer(pull, got)
    hooks.core.process()
    assert len(got) == BATCH and len(hooks.pending) == 1  # a batch, then the loop's turn
    while hooks.pending:
        hooks.turn()
    assert got == [b"%d" % i for i in range(n)]
    # runs of 1, 2, 4, ... between reads: a handful per batch, not one per message
    assert hooks.reads <= 10 * 10, hooks.reads


def test_a_single_message_costs_two_events_reads(receiving: Any) -> None:
    push, hooks, got = receiving
    arrive(push, hooks, [b"one"])
    hooks.core.process()
    # one read that shows the message, one after receiving it (it re-arms the FD)
    assert got == [b"one"] and hooks.reads == 2 and not hooks.pending


def test_the_last_operation_is_followed_by_an_events_read(receiving: Any) -> None:
    # the FD's edge is lost otherwise: after the drain, a new message must wake the FD
    push, hooks, got = receiving
    arrive(push, hooks, [b"%d" % i for i in range(5)])
    hooks.core.process()
    assert len(got) == 5 and not hooks.pending
    fd = zmq.Poller()
    fd.register(hooks.sock.fileno(), zmq.POLLIN)
    push.send(b"later")
    assert fd.poll(10_000), "no edge on the FD after the drain"


def test_queued_receives_come_before_the_consumer(receiving: Any) -> None:
    push, hooks, got = receiving
    future = Future()
    hooks.core.recv_queue.append(Request(future, lambda: hooks.sock.recv(zmq.NOBLOCK)))
    arrive(push, hooks, [b"a", b"b", b"c"])
    hooks.core.process()
    assert future.outcome == b"a" and got == [b"b", b"c"]


def test_drain_stops_at_its_limit_and_by_direction(receiving: Any) -> None:
    push, hooks, got = receiving
    arrive(push, hooks, [b"%d" % i for i in range(10)])
    assert hooks.core.drain(zmq.POLLOUT) == 0 and got == []
    assert hooks.core.drain(zmq.POLLIN, limit=3) == 3
    assert hooks.core.drain(zmq.POLLIN, limit=4) == 4
    assert hooks.core.drain() == 3
    assert got == [b"%d" % i for i in range(10)]
    assert not hooks.pending  # drain leaves scheduling to its caller


def test_a_consumer_that_raises_leaves_the_rest_scheduled(pipe: tuple[Any, Any]) -> None:
    push, pull = pipe
    hooks = Hooks(pull)
    got: list[bytes] = []

    def deliver(message: bytes) -> None:
        got.append(message)
        if message == b"bad":
            raise RuntimeError("boom")

    hooks.core.consumer = Consumer(lambda: pull.recv(zmq.NOBLOCK), deliver, print)
    arrive(push, hooks, [b"bad", b"good"])
    with pytest.raises(RuntimeError, match="boom"):
        hooks.core.process()
    # no new edge will come for "good": the core asked to be run again
    assert got == [b"bad"] and len(hooks.pending) == 1
    hooks.turn()
    assert got == [b"bad", b"good"]


def test_a_failing_receive_stops_the_consumer(pipe: tuple[Any, Any]) -> None:
    push, pull = pipe
    hooks = Hooks(pull)
    failures: list[Exception] = []

    def attempt() -> Any:
        raise zmq.ZMQError(zmq.EFSM)

    hooks.core.consumer = Consumer(attempt, print, failures.append)
    arrive(push, hooks, [b"x"])
    hooks.core.process()  # returns: a failure is no progress
    assert len(failures) == 1
    assert isinstance(failures[0], zmq.ZMQError) and failures[0].errno == zmq.EFSM


def test_end_removes_the_consumer_and_cancels_requests(receiving: Any) -> None:
    _, hooks, _ = receiving
    future = Future()
    hooks.core.recv_queue.append(Request(future, lambda: hooks.sock.recv(zmq.NOBLOCK)))
    assert hooks.core.has_waiters()
    hooks.core.end(None)
    assert hooks.core.consumer is None and future.state == "cancelled"
    assert not hooks.core.has_waiters()


def test_schedule_flag_survives_a_run_on_another_thread(pipe: tuple[Any, Any]) -> None:
    """A loop on another thread may run the scheduled call before ``schedule`` returns:
    the core must not be left believing a run is pending (nothing would serve it)."""
    _, pull = pipe
    ran = threading.Event()

    def run_there() -> None:
        core.run()
        ran.set()

    def schedule_and_run_at_once() -> bool:
        worker = threading.Thread(target=run_there)
        worker.start()
        worker.join()
        return True

    core = EdgeCore(
        lambda: int(pull.get(zmq.EVENTS)), schedule_and_run_at_once, lambda: None, lambda: False
    )
    core.schedule()
    assert ran.is_set()
    assert not core.scheduled


@pytest.mark.parametrize("batch", [1, 5, BATCH])
def test_core_yields_after_a_batch(batch: int) -> None:
    """The core alone: one wakeup serves at most ``batch`` requests, then asks to be run
    again; every request is served, in FIFO order."""
    scheduled: list[int] = []
    served: list[int] = []

    def schedule() -> bool:
        scheduled.append(1)
        return True

    def attempt(i: int) -> Any:
        served.append(i)
        return i

    core = EdgeCore(
        events=lambda: int(zmq.POLLIN),
        schedule=schedule,
        idle=lambda: None,
        closed=lambda: False,
        batch=batch,
    )
    futures = []
    for i in range(3 * batch + 1):
        future = Future()
        futures.append(future)
        core.recv_queue.append(Request(future, functools.partial(attempt, i)))
    core.process()
    assert len(served) == batch and len(scheduled) == 1
    rounds = 1
    while core.scheduled:
        core.run()
        rounds += 1
    assert served == list(range(3 * batch + 1))
    assert [f.outcome for f in futures] == served
    assert rounds == 4
