"""tornado: an echo server on a ``ZMQStream`` and a client on ``zmq.eventloop.future``.

``ZMQStream`` wraps a socket for callback-style code on tornado's IOLoop:
``on_recv`` registers a callback for each incoming (multipart) message. The
``zmq.eventloop.future`` sockets return tornado-compatible futures instead.
"""

from __future__ import annotations

import argparse

from tornado.ioloop import IOLoop

import zmq
import zmq.eventloop.future
from zmq.eventloop.zmqstream import ZMQStream


async def run(count: int) -> None:
    # ZMQStream takes a plain (blocking-API) socket
    sync_ctx = zmq.Context()
    server_sock = sync_ctx.socket(zmq.ROUTER)
    port = server_sock.bind_to_random_port("tcp://127.0.0.1")
    stream = ZMQStream(server_sock)
    # echo every message back: [identity, body] -> the same frames
    stream.on_recv(stream.send_multipart)

    ctx = zmq.eventloop.future.Context()
    with ctx.socket(zmq.DEALER) as client:
        client.connect(f"tcp://127.0.0.1:{port}")
        for i in range(count):
            await client.send_string(f"ping {i}")
            if not await client.poll(10_000):
                raise SystemExit("no echo within 10 s")
            print("echo:", await client.recv_string())
    stream.close()  # closes server_sock too
    ctx.term()
    sync_ctx.term()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3)
    count = parser.parse_args().count
    IOLoop.current().run_sync(lambda: run(count), timeout=30)
