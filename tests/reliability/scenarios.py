"""Reliability scenarios, each run in its own process by ``harness.run_scenario``.

Every scenario prints ``RESULT <json>`` with its figures and exits 0, or fails with a
traceback (exit 1). Imported only by the child processes.
"""

from __future__ import annotations

import gc
import json
import os
import queue
import signal
import sys
import threading
import time
from typing import Any, Callable

import zmq

SCENARIOS: dict[str, Callable[..., Any]] = {}


def scenario(fn: Callable[..., Any]) -> Callable[..., Any]:
    SCENARIOS[fn.__name__] = fn
    return fn


def run(name: str, args: list[Any]) -> None:
    result = SCENARIOS[name](*args)
    print("RESULT " + json.dumps(result), flush=True)


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def threads_in_process() -> int:
    return len(os.listdir("/proc/self/task"))


# poll(2)-family syscall numbers by machine (libzmq waits in poll; ppoll is the only one
# on arm64), with the argument that holds the timeout
_POLL_SYSCALLS = {"x86_64": {7: 2, 271: 2}, "aarch64": {73: 2}}


def waits_in_poll_forever(tid: int) -> bool:
    """Whether thread `tid` of this process sleeps in poll/ppoll without a timeout: the
    kernel's view of a call blocked inside libzmq (a poll with a timeout is only a check)."""
    try:
        with open(f"/proc/self/task/{tid}/syscall") as f:
            fields = f.read().split()
    except OSError:  # the thread has just ended (ESRCH, ENOENT)
        return False
    if not fields or not fields[0].isdigit():
        return False  # "running", or not in a syscall
    number = int(fields[0])
    timeout_arg = _POLL_SYSCALLS.get(os.uname().machine, {}).get(number)
    if timeout_arg is None:
        return False
    timeout = int(fields[1 + timeout_arg], 16)
    if number in (271, 73):
        return timeout == 0  # ppoll: a NULL timespec
    return timeout & 0xFFFFFFFF == 0xFFFFFFFF  # poll: an int timeout of -1


def wait_until_blocked(threads: list[threading.Thread], within: float) -> None:
    """Return once every thread waits in poll without a timeout; fail after `within` s."""
    deadline = time.monotonic() + within
    pending = {t.native_id: t for t in threads if t.native_id is not None}
    assert len(pending) == len(threads), "threads must be started"
    while pending:
        pending = {
            tid: t for tid, t in pending.items() if t.is_alive() and not waits_in_poll_forever(tid)
        }
        if pending and time.monotonic() > deadline:
            names = [t.name for t in pending.values()]
            raise AssertionError(f"never blocked in libzmq: {names}")
        time.sleep(0.001)


# ---------------------------------------------------------------- signal storms


class Storm:
    """SIGALRM every `interval` s to the process (setitimer) and SIGUSR1 to every
    registered thread from a signaller thread; counts the Python handler runs."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.handled = 0
        self.targets: list[int] = []
        self.stop = threading.Event()
        self.sent = 0

    def _handler(self, signum: int, frame: Any) -> None:
        self.handled += 1

    def __enter__(self) -> Storm:
        signal.signal(signal.SIGALRM, self._handler)
        signal.signal(signal.SIGUSR1, self._handler)
        signal.setitimer(signal.ITIMER_REAL, self.interval, self.interval)
        self.thread = threading.Thread(target=self._kill_targets, daemon=True)
        self.thread.start()
        return self

    def _kill_targets(self) -> None:
        while not self.stop.wait(self.interval):
            for ident in list(self.targets):
                try:
                    signal.pthread_kill(ident, signal.SIGUSR1)
                    self.sent += 1
                except ProcessLookupError:
                    pass

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        self.stop.set()
        self.thread.join()
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def _serve(kind: str, sock: zmq.Socket[Any], n: int) -> None:
    """The REP side of n round trips, blocking in the call `kind` names."""
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    for i in range(n):
        if kind == "poll":
            assert zmq.zmq_poll([(sock, zmq.POLLIN)], -1)
            msg = sock.recv_multipart(zmq.NOBLOCK)
        elif kind == "poller":
            assert poller.poll()
            msg = sock.recv_multipart(zmq.NOBLOCK)
        elif kind == "select":
            assert zmq.select([sock], [], [])[0]
            msg = sock.recv_multipart(zmq.NOBLOCK)
        elif kind == "multipart":
            msg = sock.recv_multipart()
        elif kind == "frames":
            msg = [f.bytes for f in sock.recv_multipart(copy=False)]
        else:
            msg = [sock.recv()]
            while sock.rcvmore:
                msg.append(sock.recv())
        assert int(msg[0]) == i, (msg, i)  # nothing lost, duplicated or reordered
        if kind == "multipart":
            sock.send_multipart(msg)
        elif kind == "frames":
            sock.send_multipart([bytearray(m) for m in msg], copy=False)
        else:
            sock.send(msg[0])


def _client(sock: zmq.Socket[Any], n: int, errors: list[BaseException]) -> None:
    try:
        for i in range(n):
            payload = str(i).encode()
            sock.send_multipart([payload, b"x" * 100])
            reply = sock.recv_multipart()
            assert int(reply[0]) == i, (reply, i)
    except BaseException as e:  # reported by the main thread
        errors.append(e)


@scenario
def signal_storm(kind: str, seconds: float) -> dict[str, Any]:
    """Round trips through `kind` (recv, multipart, frames, poll, poller, select, proxy,
    stream) under SIGALRM to the process and SIGUSR1 to the client thread."""
    if kind == "stream":
        return _signal_storm_stream(seconds)
    ctx = zmq.Context()
    server = ctx.socket(zmq.REP)
    client = ctx.socket(zmq.REQ)
    proxy_thread = None
    if kind == "proxy":
        front = ctx.socket(zmq.ROUTER)
        back = ctx.socket(zmq.DEALER)
        front.bind("inproc://front")
        back.bind("inproc://back")
        server.connect("inproc://back")
        client.connect("inproc://front")

        def run_proxy() -> None:
            try:
                zmq.proxy(front, back)
            except zmq.ContextTerminated:
                front.close(linger=0)
                back.close(linger=0)

        proxy_thread = threading.Thread(target=run_proxy)
        proxy_thread.start()
    else:
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client.connect(f"tcp://127.0.0.1:{port}")
    errors: list[BaseException] = []
    done = 0
    with Storm() as storm:
        # round trips in batches until the time is up, the client in another thread
        deadline = time.monotonic() + seconds
        batch = 200
        while time.monotonic() < deadline:
            worker = threading.Thread(target=_client, args=(client, batch, errors))
            worker.start()
            assert worker.ident is not None
            storm.targets[:] = [worker.ident]
            if proxy_thread is not None and proxy_thread.ident is not None:
                storm.targets.append(proxy_thread.ident)
            _serve("recv" if kind == "proxy" else kind, server, batch)
            worker.join()
            if errors:
                raise errors[0]
            done += batch
    handled = storm.handled
    server.close()
    client.close()
    ctx.term()
    if proxy_thread is not None:
        proxy_thread.join()
    assert handled > 0
    return {"round_trips": done, "handled": handled, "thread_signals": storm.sent}


def _signal_storm_stream(seconds: float) -> dict[str, Any]:
    """PUSH blocked at the high-water mark, PULL draining: every message arrives once,
    in order."""
    ctx = zmq.Context()
    push = ctx.socket(zmq.PUSH)
    pull = ctx.socket(zmq.PULL)
    push.sndhwm = pull.rcvhwm = 10
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    push.connect(f"tcp://127.0.0.1:{port}")
    stop = threading.Event()
    sent = [0]
    errors: list[BaseException] = []

    def produce() -> None:
        try:
            while not stop.is_set():
                push.send_multipart([str(sent[0]).encode(), b"y" * 1000])
                sent[0] += 1
            push.send_multipart([b"-1", b""])
        except BaseException as e:
            errors.append(e)

    with Storm() as storm:
        producer = threading.Thread(target=produce)
        producer.start()
        assert producer.ident is not None
        storm.targets.append(producer.ident)
        expected = 0
        deadline = time.monotonic() + seconds
        while True:
            if time.monotonic() > deadline:
                stop.set()
            number = int(pull.recv_multipart()[0])
            if number < 0:
                break
            assert number == expected, (number, expected)
            expected += 1
        producer.join()
    if errors:
        raise errors[0]
    assert expected == sent[0]
    push.close()
    pull.close()
    ctx.term()
    return {"messages": expected, "handled": storm.handled, "thread_signals": storm.sent}


BLOCKING_CALLS = {
    "recv": "sock.recv()",
    "recv_multipart": "sock.recv_multipart()",
    "recv_frame": "sock.recv(copy=False)",
    "recv_into": "sock.recv_into(bytearray(10))",
    "poll": "zmq.zmq_poll([(sock, zmq.POLLIN)], -1)",
    "poller": "poller.poll()",
    "select": "zmq.select([sock], [], [])",
    "send_hwm": "[push.send(b'x') for _ in iter(int, 1)]",
    "send_multipart_hwm": "[push.send_multipart([b'x', b'y']) for _ in iter(int, 1)]",
    "proxy": "zmq.proxy(sock, other)",
    "device": "zmq.device(zmq.QUEUE, sock, other)",
    "tracker": "held.send(bytearray(100000), copy=False, track=True).wait()",
    "term": "ctx.term()",
}


@scenario
def sigint_in(call: str) -> dict[str, Any]:
    """Block in `call`; the parent sends SIGINT after "ready". Reports when
    KeyboardInterrupt arrived (CLOCK_MONOTONIC, comparable across processes), then
    closes everything and terminates the context."""
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PULL)
    sock.bind("inproc://in")
    other = ctx.socket(zmq.PUSH)
    other.bind("inproc://out")
    push = ctx.socket(zmq.PUSH)
    push.sndhwm = 1  # not connected: sends block at once
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    held = None
    if call == "term":
        held = ctx.socket(zmq.PAIR)  # term() waits for it
    elif call == "tracker":
        held = ctx.socket(zmq.PUSH)
        held.connect("inproc://never-bound")  # queued there: never sent, never done
    # eval of a compiled code object: eval(str) that raises KeyboardInterrupt makes
    # CPython exit by SIGINT at the end, even when the exception was handled
    code = compile(BLOCKING_CALLS[call], call, "eval")
    print("ready", flush=True)
    try:
        eval(code, {**globals(), **locals()})
        raise AssertionError(f"{call} returned")
    except KeyboardInterrupt:
        at = time.monotonic()
    if held is not None:
        held.close(linger=0)
    for s in (sock, other, push):
        s.close(linger=0)
    ctx.term()
    return {"interrupted_at": at}


# ---------------------------------------------------------------- zero-copy lifetimes


@scenario
def zerocopy_release(mode: str, iterations: int, size: int) -> dict[str, Any]:
    """Send buffers with copy=False, track=True over inproc; after tracker.wait() the
    buffer must be resizable at once (no export left). mode: "reuse" resizes the same
    bytearray back and forth, "fresh" sends a new one each time, "frame" sends through
    a Frame that is dropped before waiting."""
    ctx = zmq.Context()
    push = ctx.socket(zmq.PUSH)
    pull = ctx.socket(zmq.PULL)
    pull.bind("inproc://zc")
    push.connect("inproc://zc")
    buf = bytearray(size)
    not_released = 0
    rss0 = 0
    for i in range(iterations):
        if i == iterations // 2:
            gc.collect()
            rss0 = rss_kb()  # a leak grows with the count; the heap's warm-up does not
        if mode == "fresh":
            buf = bytearray(size)
        buf[0] = i & 0xFF
        if mode == "frame":
            frame = zmq.Frame(buf, copy=False, track=True)
            tracker = push.send(frame, copy=False, track=True)
            del frame
        else:
            tracker = push.send(buf, copy=False, track=True)
        # bytes: a received Frame would share the message (inproc) until PyPy collects it
        assert pull.recv()[0] == i & 0xFF
        tracker.wait(5)
        assert tracker.done
        try:
            buf.append(1)  # resizing raises BufferError while anything exports it
            del buf[-1]
        except BufferError:
            not_released += 1
    gc.collect()
    growth = rss_kb() - rss0
    push.close()
    pull.close()
    ctx.term()
    assert not_released == 0, f"{not_released} of {iterations} buffers still exported after done"
    return {"iterations": iterations, "rss_growth_kb": growth}


@scenario
def zerocopy_not_early(iterations: int) -> dict[str, Any]:
    """done is never reported while libzmq may still read the buffer: a tracked message
    queued behind the high-water mark (tcp peer not reading) stays not done until it is
    received; the received bytes are the ones sent."""
    ctx = zmq.Context()
    push = ctx.socket(zmq.PUSH)
    pull = ctx.socket(zmq.PULL)
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    push.connect(f"tcp://127.0.0.1:{port}")
    for i in range(iterations):
        buf = bytearray([i & 0xFF]) * 100_000
        tracker = push.send(buf, copy=False, track=True)
        got = pull.recv()
        assert got == bytes([i & 0xFF]) * 100_000
        tracker.wait(5)
        buf.append(0)  # no export left
    # messages queued for a peer that is not there yet are not done
    lone = ctx.socket(zmq.PUSH)
    lone.connect("inproc://not-bound-yet")
    lone.sndhwm = 10
    lone.sndtimeo = 100
    trackers = []
    try:
        for _ in range(5):
            trackers.append(lone.send(bytearray(100_000), copy=False, track=True))
    except zmq.Again:
        pass
    time.sleep(0.2)
    assert not any(t.done for t in trackers)
    lone.close(linger=0)
    push.close()
    pull.close()
    ctx.term()  # drops what was queued for the endpoint never bound
    for t in trackers:
        t.wait(5)
    return {"iterations": iterations, "queued_not_done": len(trackers)}


# ---------------------------------------------------------------- shutdown under load


def _blocked_calls(ctx: zmq.Context[Any]) -> dict[str, Callable[[], Any]]:
    """One callable per kind of blocking call, each on its own socket(s) of ctx."""

    def sock(kind: int, endpoint: str | None = None, bind: bool = True) -> zmq.Socket[Any]:
        s = ctx.socket(kind)
        if endpoint:
            (s.bind if bind else s.connect)(endpoint)
        return s

    pull = sock(zmq.PULL, "inproc://recv")
    multi = sock(zmq.PULL, "inproc://multi")
    frame = sock(zmq.PULL, "inproc://frame")
    into = sock(zmq.PULL, "inproc://into")
    polled = sock(zmq.PULL, "inproc://poll")
    poller_sock = sock(zmq.PULL, "inproc://poller")
    selected = sock(zmq.PULL, "inproc://select")
    push = sock(zmq.PUSH)  # no peer: send blocks
    push_multi = sock(zmq.PUSH)
    rep = sock(zmq.REP, "inproc://rep")
    front = sock(zmq.ROUTER, "inproc://front")
    back = sock(zmq.DEALER, "inproc://back")
    single = sock(zmq.REP, "inproc://single")
    poller = zmq.Poller()
    poller.register(poller_sock, zmq.POLLIN)
    return {
        "recv": pull.recv,
        "recv_multipart": multi.recv_multipart,
        "recv_frame": lambda: frame.recv(copy=False),
        "recv_into": lambda: into.recv_into(bytearray(10)),
        "send": lambda: push.send(b"x"),
        "send_multipart": lambda: push_multi.send_multipart([b"x", b"y"]),
        "poll": lambda: zmq.zmq_poll([(polled, zmq.POLLIN)], -1),
        "poller": lambda: poller.poll(),
        "select": lambda: zmq.select([selected], [], []),
        "rep_recv": rep.recv,
        "proxy": lambda: zmq.proxy(front, back),
        "single_socket_proxy": lambda: zmq.proxy(single, single),
    }


@scenario
def destroy_while_blocked(how: str, rounds: int) -> dict[str, Any]:
    """Threads block in every kind of call on sockets of one context; the main thread
    calls ctx.destroy() (or destroy(linger=0)) once all are blocked. Every call must end
    with ContextTerminated, every thread must join."""
    outcomes: dict[str, str] = {}
    for _ in range(rounds):
        ctx = zmq.Context()
        calls = _blocked_calls(ctx)
        results: dict[str, str] = {}
        started = threading.Barrier(len(calls) + 1)

        def call(
            name: str,
            fn: Callable[[], Any],
            started: threading.Barrier = started,
            results: dict[str, str] = results,
        ) -> None:
            started.wait()
            try:
                fn()
                results[name] = "returned"
            except zmq.ContextTerminated:
                results[name] = "ContextTerminated"
            except zmq.ZMQError as e:
                results[name] = f"ZMQError({e.errno})"

        threads = [threading.Thread(target=call, args=item, name=item[0]) for item in calls.items()]
        for t in threads:
            t.start()
        started.wait()
        # a call that starts after destroy() fails at once (ENOTSOCK) instead of being
        # ended by it: wait until the kernel shows every thread asleep inside libzmq
        wait_until_blocked(threads, within=5)
        if how == "destroy":
            ctx.destroy()
        else:
            ctx.destroy(linger=0)
        for t in threads:
            t.join(10)
            assert not t.is_alive(), f"a thread still blocks: {results}"
        assert ctx.closed
        for name, outcome in results.items():
            assert outcome == "ContextTerminated", (name, outcome)
        outcomes.update(results)
    return {"calls": outcomes}


@scenario
def destroy_async(adapter: str) -> dict[str, Any]:
    """Coroutines (asyncio) or greenlets (gevent) wait in recv, send and poll; the
    context is destroyed: every wait ends with an error, nothing hangs."""
    if adapter == "gevent":
        return _destroy_green()
    import asyncio

    import zmq.asyncio

    async def main() -> dict[str, str]:
        ctx = zmq.asyncio.Context()
        pull = ctx.socket(zmq.PULL)
        pull.bind("inproc://a")
        push = ctx.socket(zmq.PUSH)  # no peer: send waits
        poll_sock = ctx.socket(zmq.PULL)
        poll_sock.bind("inproc://p")
        poller = zmq.asyncio.Poller()
        poller.register(poll_sock, zmq.POLLIN)
        waits = {
            "recv": pull.recv(),
            "recv_multipart": pull.recv_multipart(),
            "send": push.send(b"x"),
            "poll": poller.poll(),
        }
        tasks = {name: asyncio.ensure_future(w) for name, w in waits.items()}
        await asyncio.sleep(0.05)
        ctx.destroy(linger=0)
        results = {}
        for name, task in tasks.items():
            try:
                await asyncio.wait_for(task, 5)
                results[name] = "returned"
            except asyncio.TimeoutError:
                results[name] = "hung"
            except (zmq.ZMQError, asyncio.CancelledError) as e:
                results[name] = type(e).__name__
        return results

    loop = asyncio.new_event_loop()
    try:
        results = loop.run_until_complete(main())
    finally:
        loop.close()
    assert all(r not in ("hung", "returned") for r in results.values()), results
    return {"waits": results}


def _destroy_green() -> dict[str, Any]:
    import gevent

    import zmq.green as gzmq

    ctx = gzmq.Context()
    pull = ctx.socket(zmq.PULL)
    pull.bind("inproc://a")
    push = ctx.socket(zmq.PUSH)
    poll_sock = ctx.socket(zmq.PULL)
    poll_sock.bind("inproc://p")
    poller = gzmq.Poller()
    poller.register(poll_sock, zmq.POLLIN)
    calls = {
        "recv": pull.recv,
        "send": lambda: push.send(b"x"),
        "poll": lambda: poller.poll(),
    }
    results: dict[str, str] = {}

    def call(name: str, fn: Callable[[], Any]) -> None:
        try:
            fn()
            results[name] = "returned"
        except zmq.ZMQError as e:
            results[name] = type(e).__name__

    greenlets = [gevent.spawn(call, name, fn) for name, fn in calls.items()]
    gevent.sleep(0.05)
    ctx.destroy(linger=0)
    gevent.joinall(greenlets, timeout=5)
    for name in calls:
        results.setdefault(name, "hung")
    assert all(r not in ("hung", "returned") for r in results.values()), results
    return {"waits": results}


# ---------------------------------------------------------------- dropped contexts

_KEPT_UNTIL_EXIT: list[Any] = []


@scenario
def drop_with_queue(mode: str, port: int, count: int) -> dict[str, Any]:
    """Queue `count` messages to the PULL at `port`, then drop the socket and context
    without close/term: "return" drops them when the function returns (as the Guide's
    examples do), "exit" keeps them alive until interpreter exit (LINGER 60 s)."""

    def main() -> None:
        ctx = zmq.Context()
        push = ctx.socket(zmq.PUSH)
        push.sndhwm = 0  # everything is queued at once, the peer drains it later
        if mode == "exit":
            push.linger = 60_000
            _KEPT_UNTIL_EXIT.append((ctx, push))
        push.connect(f"tcp://127.0.0.1:{port}")
        padding = b" " * 1000  # 100 MB for 10^5: far more than the kernel buffers hold
        for i in range(count):
            push.send(b"%d%s" % (i, padding))

    import warnings

    warnings.simplefilter("ignore", ResourceWarning)  # the point is not closing them
    main()
    gc.collect()
    return {"queued": count}


# ---------------------------------------------------------------- monitors


@scenario
def monitor_cycles(how: str, cycles: int) -> dict[str, Any]:
    """Monitor a connected socket (get_monitor_socket), read its events up to CONNECTED,
    then end it `cycles` times, by: "context" destroy its whole context; "socket" close
    the socket, then the monitor; "monitor-first" the other way round; "drop" drop both
    unclosed; "cycle" drop both in a reference cycle; "disable" disable_monitor() and close both;
    "bind" (no monitor) bind, connect and close the socket.
    Reports how many descriptors and threads were left over once the closed sockets
    were freed, and the most descriptors still waiting for libzmq's reaper meanwhile."""
    from zmq.utils.monitor import recv_monitor_message

    server_ctx = zmq.Context()
    server = server_ctx.socket(zmq.PULL)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    stopped_seen = 0

    def cycle() -> None:
        nonlocal stopped_seen
        ctx = zmq.Context() if how == "context" else shared
        sock = ctx.socket(zmq.PUSH)
        sock.linger = 0
        if how == "bind":  # no monitor: a listener and a connection, closed at once
            sock.bind("tcp://127.0.0.1:0")
            sock.connect(f"tcp://127.0.0.1:{port}")
            sock.close()
            return
        monitor = sock.get_monitor_socket()
        sock.connect(f"tcp://127.0.0.1:{port}")
        while recv_monitor_message(monitor)["event"] != zmq.EVENT_CONNECTED:
            pass
        if how == "context":
            ctx.destroy(linger=0)
            assert monitor.closed  # reaped with the context
        elif how == "socket":
            sock.close()
            # stopped by the close, before it returned: the last event is already there
            while monitor.poll(0):
                if recv_monitor_message(monitor)["event"] == zmq.EVENT_MONITOR_STOPPED:
                    stopped_seen += 1
            monitor.close(linger=0)
        elif how == "monitor-first":
            monitor.close(linger=0)
            sock.close()
        elif how == "disable":
            sock.disable_monitor()
            monitor.close(linger=0)
            sock.close()
        elif how == "drop":
            del sock, monitor
            gc.collect()
        else:
            assert how == "cycle"  # dropped in a reference cycle: finalized together
            garbage: list[Any] = [monitor, sock]
            garbage.append(garbage)
            del sock, monitor, garbage
            gc.collect()

    def settle(baseline: int, deadline: float) -> int:
        # closing returns before libzmq's reaper and I/O threads have freed a socket's
        # descriptors: wait (bounded) for the count to come back down
        while open_fds() > baseline and time.monotonic() < deadline:
            time.sleep(0.005)
        return open_fds()

    shared = zmq.Context()
    for _ in range(3):  # warm-up: I/O threads, the reaper, lazily opened fds
        cycle()
    fds = open_fds()  # may still count a warm-up socket being freed: only looser
    stopped_seen = 0
    threads = threads_in_process()
    pending = 0
    for _ in range(cycles):
        cycle()
        pending = max(pending, open_fds() - fds)
    gc.collect()
    left = settle(fds, time.monotonic() + 30)
    grown = {
        "fds": left - fds,
        "threads": threads_in_process() - threads,
        "max_pending_fds": pending,
        "monitor_stopped_events": stopped_seen,
    }
    shared.term()
    server.close(linger=0)
    server_ctx.term()
    return grown


@scenario
def monitor_owner_only() -> dict[str, Any]:
    """A shadow's close and a forked child's close of a monitored socket and its
    monitor leave the monitor running; the owner's close then stops it."""
    from zmq.utils.monitor import recv_monitor_message

    ctx = zmq.Context()
    sock = ctx.socket(zmq.PUSH)
    sock.linger = 0
    monitor = sock.get_monitor_socket()
    zmq.Socket.shadow(sock.underlying).close()
    pid = os.fork()
    if pid == 0:
        sock.close()
        monitor.close()
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    server = ctx.socket(zmq.PULL)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    sock.connect(f"tcp://127.0.0.1:{port}")
    while recv_monitor_message(monitor)["event"] != zmq.EVENT_CONNECTED:
        pass  # still monitored after both
    sock.close()
    events = []
    while monitor.poll(0):
        events.append(recv_monitor_message(monitor)["event"])
    monitor.close()
    server.close(linger=0)
    ctx.term()
    return {"child_status": status, "last_event": events[-1] if events else None}


# ---------------------------------------------------------------- network faults
# The peers of tests/reliability/test_network_faults.py, each run in a network namespace
# of its own; the test cuts and restores the link between them. They print lines the
# test waits for ("PORT 5555", "EVENT DISCONNECTED <monotonic time>") and read commands
# from stdin; every wait in them has a deadline.

HEARTBEAT = {"ivl": 100, "timeout": 500, "ttl": 1000}  # ms
RECONNECT_IVL = 100  # ms
WAIT = 15.0  # s: no single step of a scenario takes this long


def _say(*fields: Any) -> None:
    print(*fields, flush=True)


def _stdin_lines() -> queue.Queue[str]:
    """Lines from stdin as they come, then "eof"."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in sys.stdin:
            lines.put(line.strip())
        lines.put("eof")

    threading.Thread(target=read, daemon=True).start()
    return lines


def _tune(sock: zmq.Socket[Any]) -> None:
    sock.heartbeat_ivl = HEARTBEAT["ivl"]
    sock.heartbeat_timeout = HEARTBEAT["timeout"]
    sock.heartbeat_ttl = HEARTBEAT["ttl"]
    sock.reconnect_ivl = RECONNECT_IVL
    sock.reconnect_ivl_max = 0
    sock.setsockopt(zmq.CONNECT_TIMEOUT, 500)
    sock.linger = 0


class _Events:
    """Watches a socket's monitor; says each event with its monotonic time."""

    def __init__(self, sock: zmq.Socket[Any]) -> None:
        self.monitor = sock.get_monitor_socket()

    def drain(self) -> None:
        while self.monitor.poll(0):
            self.next()

    def next(self) -> int:
        from zmq.utils.monitor import recv_monitor_message

        event = recv_monitor_message(self.monitor)["event"]
        _say("EVENT", zmq.Event(event).name, time.monotonic())
        return event

    def wait(self, event: int, timeout: float = WAIT) -> float:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.monitor.poll(int(left * 1000) + 1):
                raise AssertionError(f"no {zmq.Event(event).name} within {timeout} s")
            if self.next() == event:
                return time.monotonic()


def _bound(sock: zmq.Socket[Any], address: str, port: int) -> None:
    """Bind address:port (port 0: one the system picks) and say the port."""
    sock.bind(f"tcp://{address}:{port}")
    _say("PORT", sock.get_string(zmq.LAST_ENDPOINT).rsplit(":", 1)[1])


@scenario
def net_rep(address: str, port: int) -> dict[str, Any]:
    """REP server: echoes requests until stdin ends."""
    ctx = zmq.Context()
    rep = ctx.socket(zmq.REP)
    rep.linger = 0
    _bound(rep, address, port)
    stop = _stdin_lines()
    served = 0
    while stop.empty():
        if rep.poll(50):
            rep.send(rep.recv())
            served += 1
    rep.close()
    ctx.term()
    return {"served": served}


@scenario
def net_lazy_pirate(endpoint: str, timeout_ms: int, max_retries: int) -> dict[str, Any]:
    """REQ client with the lazy pirate retry: no reply within timeout_ms, close the
    socket, open a new one and send the request again, at most max_retries times. Sends
    requests one after the other until stdin ends; says each reply and each retry."""
    ctx = zmq.Context()
    stop = _stdin_lines()

    def fresh() -> zmq.Socket[Any]:
        sock = ctx.socket(zmq.REQ)
        sock.linger = 0
        sock.reconnect_ivl = RECONNECT_IVL
        sock.setsockopt(zmq.CONNECT_TIMEOUT, 500)
        sock.connect(endpoint)
        return sock

    req = fresh()
    done = retries = most = 0
    while stop.empty():
        request = f"request {done}".encode()
        for attempt in range(max_retries + 1):
            req.send(request)
            if req.poll(timeout_ms):
                assert req.recv() == request
                break
            retries += 1
            _say("RETRY", done, attempt + 1, time.monotonic())
            req.close()
            req = fresh()
        else:
            raise AssertionError(f"request {done}: no reply after {max_retries} retries")
        most = max(most, attempt)
        _say("REPLY", done, time.monotonic())
        done += 1
        time.sleep(0.01)  # pacing, not synchronisation
    req.close()
    ctx.term()
    return {"requests": done, "retries": retries, "most_retries": most}


@scenario
def net_pull(address: str) -> dict[str, Any]:
    """PULL (binds, heartbeats): receives numbers until -1; says disconnects."""
    ctx = zmq.Context()
    pull = ctx.socket(zmq.PULL)
    _tune(pull)
    events = _Events(pull)
    _bound(pull, address, 0)
    received: list[int] = []
    deadline = time.monotonic() + 4 * WAIT
    while time.monotonic() < deadline:
        events.drain()
        if pull.poll(50):
            number = int(pull.recv())
            if number < 0:
                break
            received.append(number)
            _say("GOT", number)
    else:
        raise AssertionError("no end marker")
    events.monitor.close()
    pull.close()
    ctx.term()
    return {"received": received}


@scenario
def net_push(endpoint: str, before: int, window: int, queued: int) -> dict[str, Any]:
    """PUSH (connects, heartbeats, SNDHWM 1000): sends `before` numbers; on "cut" sends
    `window` more at once (the link is down, the loss is not noticed yet), waits for the
    heartbeat to drop the connection, then queues `queued` more, which must all fit
    below the high-water mark; after the reconnect sends -1."""
    ctx = zmq.Context()
    commands = _stdin_lines()
    push = ctx.socket(zmq.PUSH)
    _tune(push)
    push.sndhwm = 1000
    events = _Events(push)
    push.connect(endpoint)
    events.wait(zmq.EVENT_HANDSHAKE_SUCCEEDED)
    number = 0
    for _ in range(before):
        push.send(str(number).encode())
        number += 1
    assert commands.get(timeout=WAIT) == "cut"
    for _ in range(window):
        push.send(str(number).encode(), zmq.NOBLOCK)
        number += 1
    disconnected = events.wait(zmq.EVENT_DISCONNECTED)
    for _ in range(queued):
        push.send(str(number).encode(), zmq.NOBLOCK)  # zmq.Again here: the HWM is too low
        number += 1
    _say("QUEUED", number)
    reconnected = events.wait(zmq.EVENT_HANDSHAKE_SUCCEEDED)
    push.send(b"-1")
    push.linger = 5000
    events.monitor.close()
    push.close()
    ctx.term()
    return {"disconnected": disconnected, "reconnected": reconnected}


@scenario
def net_pub(address: str, interval: float) -> dict[str, Any]:
    """PUB (binds, heartbeats): publishes a number every `interval` s until stdin ends."""
    ctx = zmq.Context()
    pub = ctx.socket(zmq.PUB)
    _tune(pub)
    events = _Events(pub)
    _bound(pub, address, 0)
    stop = _stdin_lines()
    number = 0
    while stop.empty():
        pub.send(str(number).encode())
        number += 1
        events.drain()
        time.sleep(interval)  # the publishing rate
    events.monitor.close()
    pub.close()
    ctx.term()
    return {"published": number}


@scenario
def net_sub(endpoint: str) -> dict[str, Any]:
    """SUB (connects, heartbeats): receives until stdin ends; says its monitor events and
    the first number at the start and after each disconnect; reports the gaps in what
    it received."""
    ctx = zmq.Context()
    stop = _stdin_lines()
    sub = ctx.socket(zmq.SUB)
    _tune(sub)
    sub.subscribe(b"")
    events = _Events(sub)
    sub.connect(endpoint)
    poller = zmq.Poller()
    poller.register(sub, zmq.POLLIN)
    poller.register(events.monitor, zmq.POLLIN)
    received: list[int] = []
    fresh = True
    while stop.empty():
        ready = dict(poller.poll(50))
        # a reconnect's first message can come before its monitor event: the gap starts
        # at the disconnect
        if events.monitor in ready:
            if events.next() == zmq.EVENT_DISCONNECTED:
                fresh = True
        if sub in ready:
            number = int(sub.recv())
            if fresh:
                _say("FIRST", number, time.monotonic())
                fresh = False
            received.append(number)
    gaps = [[a, b] for a, b in zip(received, received[1:]) if b != a + 1]
    events.monitor.close()
    sub.close()
    ctx.term()
    return {
        "received": len(received),
        "first": received[0],
        "last": received[-1],
        "gaps": gaps,
        "backend": zmq.backend.__impl__,
    }
