"""Reliability scenarios, each run in its own process by ``harness.run_scenario``.

Every scenario prints ``RESULT <json>`` with its figures and exits 0, or fails with a
traceback (exit 1). Imported only by the child processes.
"""

from __future__ import annotations

import gc
import json
import os
import signal
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
    calls ctx.destroy() (or destroy(linger=0)). Every call must end with
    ContextTerminated (or ENOTSOCK once its socket is closed), every thread must join."""
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

        threads = [threading.Thread(target=call, args=item) for item in calls.items()]
        for t in threads:
            t.start()
        started.wait()
        time.sleep(0.05)  # let them all block (a call that starts later fails at once)
        if how == "destroy":
            ctx.destroy()
        else:
            ctx.destroy(linger=0)
        for t in threads:
            t.join(10)
            assert not t.is_alive(), f"a thread still blocks: {results}"
        assert ctx.closed
        for name, outcome in results.items():
            assert outcome in ("ContextTerminated", f"ZMQError({zmq.ENOTSOCK})"), (name, outcome)
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
    """Monitor a connected socket, read its events, then close it ("socket") or
    destroy its whole context ("context"), `cycles` times: fds and threads stay flat."""
    from zmq.utils.monitor import recv_monitor_message

    server_ctx = zmq.Context()
    server = server_ctx.socket(zmq.PULL)
    port = server.bind_to_random_port("tcp://127.0.0.1")

    def cycle() -> None:
        ctx = zmq.Context() if how == "context" else shared
        sock = ctx.socket(zmq.PUSH)
        monitor = sock.get_monitor_socket()
        sock.connect(f"tcp://127.0.0.1:{port}")
        while recv_monitor_message(monitor)["event"] != zmq.EVENT_CONNECTED:
            pass
        if how == "context":
            ctx.destroy(linger=0)
            assert monitor.closed  # reaped with the context
        else:
            sock.close(linger=0)
            monitor.close(linger=0)

    shared = zmq.Context()
    for _ in range(3):  # warm-up: I/O threads, the reaper, lazily opened fds
        cycle()
    fds, threads = open_fds(), threads_in_process()
    for _ in range(cycles):
        cycle()
    gc.collect()
    # libzmq's reaper thread frees closed sockets asynchronously: give it 5 s
    deadline = time.monotonic() + 5
    while open_fds() > fds and time.monotonic() < deadline:
        time.sleep(0.01)
    grown = {"fds": open_fds() - fds, "threads": threads_in_process() - threads}
    shared.term()
    server.close(linger=0)
    server_ctx.term()
    return grown
