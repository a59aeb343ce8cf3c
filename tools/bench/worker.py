"""One benchmark measurement with whatever `zmq` the running interpreter imports.

usage: worker.py KIND TRANSPORT SIZE COUNT WARMUP COPY
       worker.py --probe

KIND: pushpull, multipart, reqrep, pubsub; or st-pushpull, st-multipart (both ends in
one thread, sending and receiving in batches: for profiling the per-call cost).

The same workloads as zmqbench.c (see there). The receiving end runs in the main thread and
times COUNT messages after WARMUP ones; the other end runs in a second thread. Prints one
JSON object on stdout. Runs unchanged on CPython and PyPy, against pyzmq or our package.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from typing import Any

import zmq  # whichever zmq this interpreter finds: ours or pyzmq

TIMEOUT_MS = 10000
MULTIPART_FRAMES = 3
BATCH = 100  # messages per batch in single-thread mode, below the high-water mark


def info() -> dict[str, Any]:
    return {
        "python": sys.executable,
        "implementation": sys.implementation.name,
        "python_version": ".".join(map(str, sys.version_info[:3])),
        "zmq_file": zmq.__file__,
        "pyzmq_version": zmq.pyzmq_version(),
        "zmq_version": zmq.zmq_version(),
        "backend": zmq.backend.Socket.__module__,
    }


def open_socket(ctx: Any, kind: int) -> Any:
    """Both ends are closed by the main thread once everything has arrived (closing the
    sender right after its last send can lose messages in flight), so linger 0 is safe."""
    sock = ctx.socket(kind)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    sock.setsockopt(zmq.SNDTIMEO, TIMEOUT_MS)
    if kind in (zmq.PUB, zmq.SUB):
        # PUB drops at the high-water mark; the subscriber must see every message.
        sock.setsockopt(zmq.SNDHWM, 0)
        sock.setsockopt(zmq.RCVHWM, 0)
    if kind == zmq.SUB:
        sock.setsockopt(zmq.SUBSCRIBE, b"")
    return sock


def bind(sock: Any, transport: str, tmpdir: str) -> str:
    if transport == "inproc":
        endpoint = "inproc://zmqbench"
    elif transport == "tcp":
        endpoint = "tcp://127.0.0.1:*"
    elif transport == "ipc":
        endpoint = "ipc://" + os.path.join(tmpdir, "bench.sock")
    else:
        raise ValueError(f"unknown transport {transport!r}")
    sock.bind(endpoint)
    last = sock.getsockopt(zmq.LAST_ENDPOINT)
    return last.decode() if isinstance(last, bytes) else last


def send_n(sock: Any, kind: str, payload: bytes, n: int, copy: bool) -> None:
    """Sends n messages (one frame each, or MULTIPART_FRAMES frames for multipart)."""
    if kind == "multipart":
        send_multipart = sock.send_multipart
        frames = [payload] * MULTIPART_FRAMES
        for _ in range(n):
            send_multipart(frames)
        return
    send = sock.send
    if copy:
        for _ in range(n):
            send(payload)
    else:
        for _ in range(n):
            send(payload, copy=False)


def peer_loop(
    sock: Any, kind: str, payload: bytes, total: int, copy: bool, ready: threading.Event
) -> None:
    """The non-timed end: sends `total` messages, or echoes them for reqrep."""
    if kind == "reqrep":
        recv, send = sock.recv, sock.send
        for _ in range(total):
            send(recv())
        return
    if kind == "pubsub":
        # Subscriptions propagate asynchronously: send empty sync messages until one arrives.
        while not ready.is_set():
            sock.send(b"")
            ready.wait(0.001)
    send_n(sock, kind, payload, total, copy)


def receive(sock: Any, kind: str, payload: bytes, n: int, copy: bool) -> Any:
    """Receives (or, for reqrep, round-trips) n messages; returns the last one."""
    msg: Any = None
    if kind == "reqrep":
        recv, send = sock.recv, sock.send
        for _ in range(n):
            send(payload)
            msg = recv()
    elif kind == "multipart":
        recv_multipart = sock.recv_multipart
        for _ in range(n):
            msg = recv_multipart()
        if msg is not None and len(msg) != MULTIPART_FRAMES:
            raise RuntimeError(f"got {len(msg)} frames, expected {MULTIPART_FRAMES}")
        msg = msg[-1] if msg else msg
    elif copy:
        recv = sock.recv
        for _ in range(n):
            msg = recv()
    else:
        recv = sock.recv
        for _ in range(n):
            msg = recv(copy=False)
    return msg


def single_thread(sock: Any, peer: Any, kind: str, payload: bytes, n: int, copy: bool) -> Any:
    """Sends and receives n messages in batches from one thread: the per-call cost of the
    binding without a second thread (used for profiling; see callcost.py)."""
    last = None
    while n > 0:
        batch = min(n, BATCH)
        send_n(peer, kind, payload, batch, copy)
        last = receive(sock, kind, payload, batch, copy)
        n -= batch
    return last


class Clock:
    """Wall time and the CPU time of the whole process (every thread, libzmq's too)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def measure(
    kind: str, transport: str, size: int, count: int, warmup: int, copy: bool
) -> tuple[float, float]:
    """Returns (wall seconds, process CPU seconds) for COUNT messages."""
    types = {
        "pushpull": (zmq.PULL, zmq.PUSH),
        "multipart": (zmq.PULL, zmq.PUSH),
        "reqrep": (zmq.REQ, zmq.REP),
        "pubsub": (zmq.SUB, zmq.PUB),
    }
    threaded = not kind.startswith("st-")
    kind = kind if threaded else kind[3:]
    if kind not in types or (not threaded and kind not in ("pushpull", "multipart")):
        raise ValueError(f"unknown kind {kind!r}")
    if min(size, count, warmup) < 1:
        raise ValueError("SIZE, COUNT and WARMUP must be >= 1")
    recv_type, peer_type = types[kind]
    payload = b"x" * size
    tmpdir = tempfile.mkdtemp(prefix="zmqbench-")
    ctx = zmq.Context()
    try:
        sock = open_socket(ctx, recv_type)
        peer = open_socket(ctx, peer_type)
        peer.connect(bind(sock, transport, tmpdir))
        if threaded:
            ready = threading.Event()
            thread = threading.Thread(
                target=peer_loop,
                args=(peer, kind, payload, warmup + count, copy, ready),
                daemon=True,
            )
            thread.start()
            if kind == "pubsub":
                # The first non-empty message is the first warm-up message.
                while len(sock.recv()) == 0:
                    ready.set()
                ready.set()
                warmup -= 1
            receive(sock, kind, payload, warmup, copy)
            clock = Clock()
            last = receive(sock, kind, payload, count, copy)
            elapsed = clock.stop()
            thread.join()
        else:
            single_thread(sock, peer, kind, payload, warmup, copy)
            clock = Clock()
            last = single_thread(sock, peer, kind, payload, count, copy)
            elapsed = clock.stop()
        if len(last) != size:
            raise RuntimeError(f"last message has {len(last)} bytes, expected {size}")
        peer.close()
        sock.close()
        ctx.term()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return elapsed


def emit(obj: dict[str, Any]) -> None:
    print(json.dumps(obj), flush=True)


def main(argv: list[str]) -> int:
    if argv == ["--probe"]:
        emit({"ok": True, "info": info()})
        return 0
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    kind, transport = argv[0], argv[1]
    size, count, warmup, copy = (int(a) for a in argv[2:])
    try:
        elapsed, cpu = measure(kind, transport, size, count, warmup, bool(copy))
    except Exception as exc:
        emit({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
        # A peer thread may still be blocked in libzmq: leave without terminating the context.
        os._exit(2)
    emit({"ok": True, "count": count, "elapsed": elapsed, "cpu": cpu, "info": info()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
