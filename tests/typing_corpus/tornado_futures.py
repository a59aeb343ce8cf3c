"""Tornado coroutines with zmq.eventloop.future sockets: a ROUTER worker pool fed by a
DEALER, with a Poller over both and a receive timeout."""

from __future__ import annotations

import asyncio

from tornado.ioloop import IOLoop

import zmq
from zmq.eventloop.future import Context, Poller, Socket


async def worker(router: Socket, jobs: int) -> list[str]:
    done: list[str] = []
    for _ in range(jobs):
        peer, body = await router.recv_multipart()
        done.append(body.decode())
        await router.send_multipart([peer, b"ok: " + body])
    return done


async def client(dealer: Socket, jobs: int) -> int:
    for i in range(jobs):
        await dealer.send_string(f"job {i}")
    replies = 0
    poller = Poller()
    poller.register(dealer, zmq.POLLIN)
    while replies < jobs:
        events = dict(await poller.poll(1000))
        if dealer not in events:
            break
        frame = await dealer.recv(copy=False)
        print(frame.bytes.decode())
        replies += 1
    return replies


async def main() -> None:
    ctx = Context()
    router = ctx.socket(zmq.ROUTER)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    dealer = ctx.socket(zmq.DEALER)
    dealer.rcvtimeo = 2000
    dealer.connect(f"tcp://127.0.0.1:{port}")
    done, replies = await asyncio.gather(worker(router, 3), client(dealer, 3))
    print(done, replies)
    try:
        await dealer.recv()
    except zmq.Again:
        print("no more replies")
    dealer.close(linger=0)
    router.close(linger=0)
    ctx.term()


if __name__ == "__main__":
    IOLoop.current().run_sync(main)
