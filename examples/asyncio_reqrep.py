"""asyncio: a ROUTER server and several DEALER clients in one event loop.

``zmq.asyncio`` sockets return awaitables from send/recv/poll, so many sockets are
served by one thread without blocking each other.
"""

from __future__ import annotations

import argparse
import asyncio

import zmq
import zmq.asyncio


async def server(sock: zmq.asyncio.Socket, expected: int) -> None:
    for _ in range(expected):
        identity, request = await sock.recv_multipart()
        await sock.send_multipart([identity, request[::-1]])


async def client(ctx: zmq.asyncio.Context, endpoint: str, name: str) -> str:
    with ctx.socket(zmq.DEALER) as sock:
        sock.connect(endpoint)
        await sock.send_string(name)
        return await asyncio.wait_for(sock.recv_string(), timeout=10)


async def main(clients: int) -> None:
    ctx = zmq.asyncio.Context()
    with ctx.socket(zmq.ROUTER) as router:
        port = router.bind_to_random_port("tcp://127.0.0.1")
        endpoint = f"tcp://127.0.0.1:{port}"
        serving = asyncio.ensure_future(server(router, clients))
        replies = await asyncio.gather(
            *(client(ctx, endpoint, f"client-{i}") for i in range(clients))
        )
        await asyncio.wait_for(serving, timeout=10)
    ctx.term()
    for reply in replies:
        print("reply:", reply)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=3)
    asyncio.run(main(parser.parse_args().clients))
