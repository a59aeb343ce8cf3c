"""A JSON request/reply service: a REP server thread and a REQ client with a timeout."""

from __future__ import annotations

import threading
from typing import Any

import zmq


def serve(ctx: zmq.Context[zmq.Socket[bytes]], url: str, ready: threading.Event) -> None:
    with ctx.socket(zmq.REP) as rep:
        rep.linger = 0
        rep.bind(url)
        ready.set()
        while True:
            request = rep.recv_json()
            if not isinstance(request, dict):
                rep.send_json({"error": "expected an object"})
                continue
            if request.get("op") == "stop":
                rep.send_json({"ok": True})
                return
            numbers: list[float] = [float(x) for x in request.get("args", [])]
            rep.send_json({"ok": True, "sum": sum(numbers)})


def call(sock: zmq.Socket[bytes], op: str, *args: float, timeout_ms: int = 5000) -> Any:
    sock.send_json({"op": op, "args": list(args)})
    if sock.poll(timeout_ms, zmq.POLLIN) == 0:
        raise TimeoutError(f"no reply to {op!r} within {timeout_ms} ms")
    return sock.recv_json()


def main() -> None:
    ctx = zmq.Context()
    url = "inproc://calculator"
    ready = threading.Event()
    server = threading.Thread(target=serve, args=(ctx, url, ready))
    server.start()
    ready.wait()
    req = ctx.socket(zmq.REQ)
    req.setsockopt(zmq.LINGER, 0)
    req.connect(url)
    try:
        reply = call(req, "add", 1, 2.5)
        print("1 + 2.5 =", reply["sum"])
        req.send_string('{"op": "add", "args": [40, 2]}')
        raw: str = req.recv_string()
        print("raw reply:", raw)
        call(req, "stop")
    except zmq.ZMQError as e:
        print("zmq error", e.errno, e.strerror)
    finally:
        req.close()
        server.join()
        ctx.term()


if __name__ == "__main__":
    main()
