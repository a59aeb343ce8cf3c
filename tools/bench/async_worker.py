"""One event-loop benchmark measurement with whatever `zmq` the running interpreter imports.

usage: async_worker.py KIND COUNT WARMUP
       async_worker.py --probe
       async_worker.py --peer send|multipart|echo ENDPOINT TOTAL   (the other end)

KIND is one of WORKLOADS below. The timed end runs on the event loop in the main thread;
the other end is a plain synchronous socket: a separate process over tcp (so it never
competes for the GIL), a second thread on the same context for inproc. Prints one JSON
object on stdout (wall-clock "elapsed" and process CPU time "cpu" of the timed part); runs
unchanged on CPython and PyPy, against pyzmq or our package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from typing import Any, Callable

import zmq

SIZE = 64
FRAMES = 3
POLLER_SOCKETS = 100
POLLER_BUSY = 4  # sockets of the hundred that carry traffic
TIMEOUT_MS = 10000


def info() -> dict[str, Any]:
    return {
        "implementation": sys.implementation.name,
        "pyzmq_version": zmq.pyzmq_version(),
        "backend": zmq.backend.Socket.__module__,
    }


def sender(peer: Any, total: int, frames: int = 1) -> Callable[[], None]:
    payload = b"x" * SIZE
    if frames == 1:

        def run() -> None:
            send = peer.send
            for _ in range(total):
                send(payload)

    else:
        parts = [payload] * frames

        def run() -> None:
            for _ in range(total):
                peer.send_multipart(parts)

    return run


def echoer(peer: Any, total: int) -> Callable[[], None]:
    def run() -> None:
        recv, send = peer.recv, peer.send
        for _ in range(total):
            send(recv())

    return run


class Clock:
    """Wall-clock and process CPU time (all threads, libzmq's I/O thread included) since
    construction."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def start(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


class Process:
    """The peer as a separate process (tcp): it never competes for our GIL, so the
    measurement is the event-loop side's receive path, not thread scheduling."""

    def __init__(self, mode: str, endpoint: str, total: int) -> None:
        cmd = [sys.executable, __file__, "--peer", mode, endpoint, str(total)]
        self.proc = subprocess.Popen(cmd)

    def join(self) -> None:
        if self.proc.wait(timeout=TIMEOUT_MS / 1000 * 6) != 0:
            raise RuntimeError(f"peer process failed: exit {self.proc.returncode}")


def peer_main(mode: str, endpoint: str, total: int) -> None:
    ctx = zmq.Context()
    peer = ctx.socket(zmq.REP if mode == "echo" else zmq.PUSH)
    peer.linger = -1  # everything must arrive, even after we leave
    peer.sndtimeo = peer.rcvtimeo = TIMEOUT_MS
    peer.connect(endpoint)
    if mode == "echo":
        echoer(peer, total)()
    else:
        sender(peer, total, FRAMES if mode == "multipart" else 1)()
    peer.close()
    ctx.term()


def peer(sock: Any, sync_ctx: Any, peer_type: int, transport: str, mode: str, total: int) -> Any:
    """Starts the other end: a thread on ``sync_ctx`` for inproc, else a process."""
    if transport.startswith("inproc"):
        other = sync_ctx.socket(peer_type)
        other.linger = 0
        other.sndtimeo = other.rcvtimeo = TIMEOUT_MS
        other.connect(sock.last_endpoint)
        if mode == "echo":
            return start(echoer(other, total))
        return start(sender(other, total, FRAMES if mode == "multipart" else 1))
    return Process(mode, sock.last_endpoint, total)


def bound(ctx: Any, sock_type: int, transport: str) -> Any:
    sock = ctx.socket(sock_type)
    sock.linger = 0
    sock.bind("inproc://" + transport if transport.startswith("inproc") else "tcp://127.0.0.1:*")
    return sock


def run_asyncio(kind: str, count: int, warmup: int) -> tuple[float, float]:
    import asyncio

    import zmq.asyncio

    async def main() -> tuple[float, float]:
        ctx = zmq.asyncio.Context()
        sync_ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.shadow(ctx.underlying)
        transport = kind.rsplit("-", 1)[1]
        total = count + warmup
        if kind.startswith("aio-poller"):
            return await poller(ctx, sync_ctx, count, warmup)
        if kind.startswith("aio-reqrep"):
            sock = bound(ctx, zmq.REQ, transport)
            other = peer(sock, sync_ctx, zmq.REP, transport, "echo", total)
            payload = b"x" * SIZE

            async def step(n: int) -> None:
                for _ in range(n):
                    await sock.send(payload)
                    await sock.recv()

        elif kind.startswith("aio-multipart"):
            sock = bound(ctx, zmq.PULL, transport)
            other = peer(sock, sync_ctx, zmq.PUSH, transport, "multipart", total)

            async def step(n: int) -> None:
                for _ in range(n):
                    msg = await sock.recv_multipart()
                assert len(msg) == FRAMES

        else:
            sock = bound(ctx, zmq.PULL, transport)
            other = peer(sock, sync_ctx, zmq.PUSH, transport, "send", total)

            async def step(n: int) -> None:
                recv = sock.recv
                for _ in range(n):
                    await recv()

        await step(warmup)
        clock = Clock()
        await step(count)
        elapsed = clock.stop()
        other.join()
        sock.close()
        return elapsed

    return asyncio.run(main())


async def poller(ctx: Any, sync_ctx: Any, count: int, warmup: int) -> tuple[float, float]:
    """Polls 100 PULL sockets with zmq.asyncio.Poller; a few of them carry traffic."""
    import zmq.asyncio

    socks = [bound(ctx, zmq.PULL, f"inproc-{i}") for i in range(POLLER_SOCKETS)]
    poll = zmq.asyncio.Poller()
    for sock in socks:
        poll.register(sock, zmq.POLLIN)
    # receive through sync shadows: the poll is measured, not the async recv
    sync_socks: dict[Any, zmq.Socket[bytes]] = {s: zmq.Socket.shadow(s.underlying) for s in socks}
    per = (count + warmup) // POLLER_BUSY + 1
    busy = socks[:: POLLER_SOCKETS // POLLER_BUSY][:POLLER_BUSY]
    for sock in busy:
        peer(sock, sync_ctx, zmq.PUSH, "inproc", "send", per)

    async def step(n: int) -> None:
        while n > 0:
            for sock, _ in await poll.poll(TIMEOUT_MS):
                # one message per ready socket and poll: the poll is what is measured
                sync_socks[sock].recv(zmq.NOBLOCK)
                n -= 1

    await step(warmup)
    clock = Clock()
    await step(count)
    elapsed = clock.stop()
    for sock in socks:
        sock.close()  # before the senders finish: they may block at the high-water mark
    return elapsed


def run_reqrep_bound(kind: str, count: int, warmup: int) -> tuple[float, float]:
    """REQ/REP round trips over tcp without the binding's event-loop layer, the bounds of
    ``aio-reqrep-tcp``: ``sync-`` blocks in libzmq (no event loop at all); ``floor-`` is the
    least an edge-triggered asyncio binding must do per round trip, written out over the
    binding's blocking socket (send, read EVENTS, wait on the FD with ``add_reader`` for a
    Future resolved by the reader, read EVENTS, receive), without queues, timeouts,
    cancellation or any other socket on the loop."""
    import asyncio

    ctx = zmq.Context()
    sock = bound(ctx, zmq.REQ, "tcp")
    other = peer(sock, ctx, zmq.REP, "tcp", "echo", count + warmup + 1)
    payload = b"x" * SIZE
    send, recv, get = sock.send, sock.recv, sock.get
    noblock, events = int(zmq.NOBLOCK), int(zmq.EVENTS)
    pollin, pollout = int(zmq.POLLIN), int(zmq.POLLOUT)

    def blocking(n: int) -> None:
        for _ in range(n):
            send(payload)
            recv()

    async def floor(n: int) -> None:
        loop = asyncio.get_running_loop()
        waiting: list[Any] = []  # the future of a wait for the FD, if any

        def readable() -> None:
            get(events)  # re-arms the FD
            if waiting:
                waiting.pop().set_result(None)

        async def wait() -> None:
            future = loop.create_future()
            waiting.append(future)
            await future

        loop.add_reader(sock.FD, readable)
        for _ in range(n):
            while True:
                try:
                    send(payload, noblock)
                    break
                except zmq.Again:  # libzmq has not processed the peer's credit yet
                    if not get(events) & pollout:
                        await wait()
            while not get(events) & pollin:
                await wait()
            recv(noblock)
        loop.remove_reader(sock.FD)

    blocking(1)  # a blocking send waits for the peer to connect; NOBLOCK would fail
    if kind.startswith("sync-"):
        blocking(warmup)
        clock = Clock()
        blocking(count)
    else:
        asyncio.run(floor(warmup))
        clock = Clock()
        asyncio.run(floor(count))
    elapsed = clock.stop()
    other.join()
    sock.close()
    ctx.term()
    return elapsed


def run_stream(count: int, warmup: int) -> tuple[float, float]:
    from tornado.ioloop import IOLoop

    from zmq.eventloop.zmqstream import ZMQStream

    loop = IOLoop(make_current=False)
    ctx = zmq.Context()
    sock = bound(ctx, zmq.PULL, "tcp")
    stream = ZMQStream(sock, loop)
    seen = [0]
    clocks: list[Clock] = []
    elapsed: list[tuple[float, float]] = []

    def on_recv(msg: list[Any]) -> None:
        seen[0] += 1
        if seen[0] == warmup:
            clocks.append(Clock())
        elif seen[0] == warmup + count:
            elapsed.append(clocks[0].stop())
            loop.stop()

    stream.on_recv(on_recv)
    other = peer(sock, ctx, zmq.PUSH, "tcp", "send", count + warmup)
    loop.start()
    other.join()
    stream.close()
    loop.close()
    return elapsed[0]


def run_green(count: int, warmup: int) -> tuple[float, float]:
    import zmq.green as gzmq

    ctx = gzmq.Context()
    sock = bound(ctx, zmq.PULL, "tcp")
    other = peer(sock, ctx, zmq.PUSH, "tcp", "send", count + warmup)
    recv = sock.recv
    for _ in range(warmup):
        recv()
    clock = Clock()
    for _ in range(count):
        recv()
    elapsed = clock.stop()
    other.join()
    sock.close()
    return elapsed


WORKLOADS = (
    "aio-pushpull-tcp",
    "aio-pushpull-inproc",
    "aio-reqrep-tcp",
    "aio-reqrep-inproc",
    "floor-reqrep-tcp",
    "sync-reqrep-tcp",
    "aio-multipart-tcp",
    "aio-poller-inproc",
    "stream-pushpull-tcp",
    "green-pushpull-tcp",
)


def measure(kind: str, count: int, warmup: int) -> tuple[float, float]:
    if kind.startswith("aio-"):
        return run_asyncio(kind, count, warmup)
    if kind in ("floor-reqrep-tcp", "sync-reqrep-tcp"):
        return run_reqrep_bound(kind, count, warmup)
    if kind.startswith("stream-"):
        return run_stream(count, warmup)
    if kind.startswith("green-"):
        return run_green(count, warmup)
    raise ValueError(f"unknown kind {kind!r}")


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "--peer":
        peer_main(argv[1], argv[2], int(argv[3]))
        return 0
    if argv == ["--probe"]:
        print(json.dumps({"ok": True, "info": info()}), flush=True)
        return 0
    if len(argv) != 3 or argv[0] not in WORKLOADS:
        print(__doc__, "KIND:", ", ".join(WORKLOADS), file=sys.stderr)
        return 2
    try:
        elapsed, cpu = measure(argv[0], int(argv[1]), int(argv[2]))
    except Exception as exc:
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
        os._exit(2)  # a peer thread may still block in libzmq
    result = {"ok": True, "count": int(argv[1]), "elapsed": elapsed, "cpu": cpu}
    print(json.dumps(result), flush=True)
    # measured: the inproc peer threads' sockets stay open, and a context finalized at
    # exit (PyPy) would wait for them
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
