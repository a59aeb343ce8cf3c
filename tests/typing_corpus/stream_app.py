"""An echo service on tornado's IOLoop with ZMQStream callbacks."""

from __future__ import annotations

from tornado.ioloop import IOLoop

import zmq
from zmq.eventloop.zmqstream import ZMQStream


class EchoServer:
    def __init__(self, ctx: zmq.Context[zmq.Socket[bytes]], url: str) -> None:
        sock = ctx.socket(zmq.ROUTER)
        sock.bind(url)
        self.stream = ZMQStream(sock)
        self.stream.on_recv(self.handle)
        self.count = 0

    def handle(self, msg: list[bytes]) -> None:
        identity, *body = msg
        self.count += 1
        self.stream.send_multipart([identity, *body])

    def close(self) -> None:
        self.stream.close()


class Client:
    def __init__(self, ctx: zmq.Context[zmq.Socket[bytes]], url: str, loop: IOLoop) -> None:
        sock = ctx.socket(zmq.DEALER)
        sock.connect(url)
        self.loop = loop
        self.stream = ZMQStream(sock, io_loop=loop)
        self.stream.on_recv_stream(self.got_reply)
        self.stream.on_send(lambda msg, status: None)
        self.replies: list[bytes] = []

    def got_reply(self, stream: ZMQStream, msg: list[bytes]) -> None:
        self.replies.append(msg[-1])
        if len(self.replies) == 3:
            self.loop.stop()
        else:
            stream.send(b"again")

    def start(self) -> None:
        self.stream.send(b"hello")
        self.stream.flush()


def main() -> None:
    ctx = zmq.Context()
    loop = IOLoop.current()
    server = EchoServer(ctx, "inproc://echo")
    client = Client(ctx, "inproc://echo", loop)
    loop.add_callback(client.start)
    loop.call_later(5, loop.stop)
    loop.start()
    print(client.replies, server.count)
    client.stream.close()
    server.close()
    ctx.term()


if __name__ == "__main__":
    main()
