"""Zero-copy sends and ``MessageTracker``: know when libzmq is done with a buffer.

``send(buf, copy=False, track=True)`` hands the buffer itself to libzmq and returns a
``MessageTracker``; the buffer must not be modified until ``tracker.done`` is true
(``tracker.wait()`` blocks until then). ``recv(copy=False)`` returns a ``zmq.Frame``
whose ``buffer`` is a memoryview of the received message, without a copy.
"""

from __future__ import annotations

import zmq


def main() -> None:
    payload = bytearray(b"x" * (1 << 20))  # 1 MiB
    with zmq.Context() as ctx, ctx.socket(zmq.PAIR) as a, ctx.socket(zmq.PAIR) as b:
        a.bind("inproc://zerocopy")
        b.connect("inproc://zerocopy")
        tracker = a.send(payload, copy=False, track=True)
        frame = b.recv(copy=False)
        print("received", len(frame.buffer), "bytes without copying")
        del frame  # the last reference to the message: libzmq may release it
        tracker.wait(timeout=10)
        print("tracker done:", tracker.done)
        payload[:5] = b"reuse"  # safe now


if __name__ == "__main__":
    main()
