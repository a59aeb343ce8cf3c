"""A Socket subclass with its own helpers, created through socket_class=; options as
attributes on sockets and on the Context (defaults for new sockets)."""

from __future__ import annotations

import time
from typing import Any

import zmq


class TimedSocket(zmq.Socket[bytes]):
    """Counts messages and remembers when the last one arrived."""

    received: int
    last_seen: float

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received = 0
        self.last_seen = 0.0

    def recv_counted(self, timeout_ms: int = 1000) -> bytes | None:
        if not self.poll(timeout_ms):
            return None
        data = self.recv()
        self.received += 1
        self.last_seen = time.monotonic()
        return data


def configure(ctx: zmq.Context[zmq.Socket[bytes]]) -> None:
    ctx.linger = 0  # a default for every socket made afterwards
    ctx.setsockopt(zmq.SNDHWM, 100)
    ctx.max_sockets = 64
    print("io threads:", ctx.io_threads, "defaults:", ctx.getsockopt(zmq.SNDHWM))


def main() -> None:
    ctx = zmq.Context(io_threads=1)
    configure(ctx)
    pull = TimedSocket(ctx, zmq.PULL)
    pull.rcvhwm = 50
    pull.setsockopt(zmq.RCVTIMEO, 2000)
    pull.identity = b"puller"
    url = "tcp://127.0.0.1:*"
    pull.bind(url)
    endpoint = pull.getsockopt_string(zmq.LAST_ENDPOINT)
    push: zmq.Socket[bytes] = ctx.socket(zmq.PUSH, socket_class=TimedSocket)
    push.sndtimeo = 2000
    push.connect(endpoint)
    print("linger", push.linger, "hwm", push.hwm, "type", push.type)
    for i in range(3):
        push.send_string(f"job {i}")
    while (msg := pull.recv_counted()) is not None:
        print(msg.decode())
        if pull.received == 3:
            break
    monitor = push.get_monitor_socket(zmq.EVENT_ALL)
    push.disable_monitor()
    monitor.close()
    with ctx.socket(zmq.PAIR) as pair:
        pair.set(zmq.LINGER, 0)
        with pair.bind("inproc://scoped"):
            print("bound; fd", pair.fileno(), "events", pair.getsockopt(zmq.EVENTS))
    for s in (push, pull):
        s.close()
    ctx.term()


if __name__ == "__main__":
    main()
