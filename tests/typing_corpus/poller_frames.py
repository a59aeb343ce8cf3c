"""A ROUTER/DEALER broker loop with Poller, multipart Frames, copy=False and trackers."""

from __future__ import annotations

import zmq


def relay(frontend: zmq.Socket[bytes], backend: zmq.Socket[bytes], rounds: int) -> int:
    poller = zmq.Poller()
    poller.register(frontend, zmq.POLLIN)
    poller.register(backend, zmq.POLLIN)
    moved = 0
    for _ in range(rounds):
        socks = dict(poller.poll(1000))
        if socks.get(frontend) == zmq.POLLIN:
            frames = frontend.recv_multipart(copy=False)
            sizes = [len(f.bytes) for f in frames]
            backend.send_multipart(frames, copy=False)
            moved += sum(sizes)
        if socks.get(backend) == zmq.POLLIN:
            parts: list[bytes] = backend.recv_multipart()
            frontend.send_multipart(parts)
    return moved


def send_big(sock: zmq.Socket[bytes], payload: bytes) -> zmq.MessageTracker:
    tracker = sock.send(payload, copy=False, track=True)
    return tracker


def receive_frame(sock: zmq.Socket[bytes]) -> bytes:
    frame = sock.recv(copy=False)
    view: memoryview = frame.buffer
    more: bool = frame.more
    if more:
        rest = sock.recv_multipart()
        return bytes(view) + b"".join(rest)
    return frame.bytes


def main() -> None:
    ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    a = ctx.socket(zmq.PAIR)
    b = ctx.socket(zmq.PAIR)
    a.bind("inproc://frames")
    b.connect("inproc://frames")
    tracker = send_big(a, b"x" * 100_000)
    print("received", len(receive_frame(b)))
    tracker.wait(timeout=5)
    print("done:", tracker.done)
    frame = zmq.Frame(b"hello", track=True)
    a.send(frame, copy=False)
    got = b.recv(copy=False)
    print(got.bytes, frame.tracker)
    a.send_multipart([b"one", zmq.Frame(b"two")])
    print(b.recv_multipart(copy=True))
    a.close()
    b.close()


if __name__ == "__main__":
    main()
