"""asyncio publisher and subscribers, with a zmq.asyncio.Poller over two subscriptions."""

from __future__ import annotations

import asyncio

import zmq
import zmq.asyncio


async def publish(pub: zmq.asyncio.Socket, count: int) -> None:
    for i in range(count):
        await pub.send_multipart([b"weather", str(i).encode()])
        await pub.send_string(f"news {i}")
        await asyncio.sleep(0.01)


async def listen(sub: zmq.asyncio.Socket, count: int) -> list[str]:
    seen: list[str] = []
    while len(seen) < count:
        topic, body = await sub.recv_multipart()
        seen.append(f"{topic.decode()}: {body.decode()}")
    return seen


async def poll_both(a: zmq.asyncio.Socket, b: zmq.asyncio.Socket, timeout_ms: int) -> int:
    poller = zmq.asyncio.Poller()
    poller.register(a, zmq.POLLIN)
    poller.register(b, zmq.POLLIN)
    received = 0
    while True:
        events = dict(await poller.poll(timeout_ms))
        if not events:
            return received
        for sock in (a, b):
            if events.get(sock, 0) & zmq.POLLIN:
                msg: bytes = await sock.recv()
                received += len(msg) > 0


async def main() -> None:
    ctx = zmq.asyncio.Context()
    pub = ctx.socket(zmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    weather = ctx.socket(zmq.SUB)
    weather.subscribe(b"weather")
    weather.connect(f"tcp://127.0.0.1:{port}")
    news = ctx.socket(zmq.SUB)
    news.setsockopt_string(zmq.SUBSCRIBE, "news")
    news.connect(f"tcp://127.0.0.1:{port}")
    await asyncio.sleep(0.2)  # let the subscriptions reach the publisher
    try:
        lines, _ = await asyncio.gather(listen(weather, 5), publish(pub, 5))
        print("\n".join(lines))
        text = await asyncio.wait_for(news.recv_string(), timeout=1)
        print("first news:", text)
        print("more:", await poll_both(weather, news, 100))
    finally:
        for s in (pub, weather, news):
            s.close(linger=0)
        ctx.term()


if __name__ == "__main__":
    asyncio.run(main())
