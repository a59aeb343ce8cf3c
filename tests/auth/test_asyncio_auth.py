"""AsyncioAuthenticator: the ZAP handler runs as a task of the event loop that also
waits for the handshake (so a blocking handler would make these tests time out)."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import pytest

import zmq
import zmq.asyncio
from zmq.auth.asyncio import AsyncioAuthenticator
from zmq.utils.monitor import parse_monitor_message

TIMEOUT_MS = 10_000


async def plain_handshake(ctx: zmq.asyncio.Context, password: bytes) -> bool:
    """True if a PLAIN client with ``password`` gets through, False if refused."""
    server, client = ctx.socket(zmq.PULL), ctx.socket(zmq.PUSH)
    try:
        server.plain_server = True
        client.plain_username, client.plain_password = b"admin", password
        monitor = server.get_monitor_socket(
            zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH
        )
        server.bind("tcp://127.0.0.1:*")
        client.connect(server.get_string(zmq.LAST_ENDPOINT))
        assert await monitor.poll(TIMEOUT_MS), "no handshake event"
        event = parse_monitor_message(await monitor.recv_multipart())["event"]
        if event != zmq.EVENT_HANDSHAKE_SUCCEEDED:
            return False
        await client.send(b"through")
        assert await asyncio.wait_for(server.recv(), TIMEOUT_MS / 1000) == b"through"
        return True
    finally:
        for sock in (server, client, monitor):
            sock.close(linger=0)


def plain_results(make_authenticator: Callable[[zmq.asyncio.Context], Any]) -> list[bool]:
    """Whether the right and a wrong PLAIN password get through an authenticator made
    (inside the running event loop) by ``make_authenticator(ctx)``."""
    ctx = zmq.asyncio.Context()

    async def main() -> list[bool]:
        auth = make_authenticator(ctx)
        auth.start()
        try:
            auth.configure_plain(passwords={"admin": "secret"})
            return [await plain_handshake(ctx, b"secret"), await plain_handshake(ctx, b"wrong")]
        finally:
            auth.stop()

    try:
        return asyncio.run(main())
    finally:
        ctx.term()


def test_plain_through_asyncio_authenticator() -> None:
    assert plain_results(AsyncioAuthenticator) == [True, False]


def test_loop_argument_deprecated() -> None:
    ctx = zmq.asyncio.Context()
    try:
        with pytest.warns(DeprecationWarning):
            AsyncioAuthenticator(ctx, loop=object())
    finally:
        ctx.term()


def test_stop_before_start_is_harmless(context: Any) -> None:
    AsyncioAuthenticator(context).stop()


def test_stop_leaves_no_reader_on_the_loop() -> None:
    # stop() must drop the loop's reader for the ZAP socket at once: the fd number is
    # reused by the next socket, whose reader a late cleanup would remove
    ctx = zmq.asyncio.Context()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        auth = AsyncioAuthenticator(ctx)
        auth.start()
        assert auth.zap_socket is not None
        fd = auth.zap_socket.fileno()
        for _ in range(5):  # let the task start waiting for requests
            await asyncio.sleep(0)
        auth.stop()
        assert not loop.remove_reader(fd)
        # and with no authenticator left, a plain connection goes through
        server, client = ctx.socket(zmq.PULL), ctx.socket(zmq.PUSH)
        try:
            server.bind("tcp://127.0.0.1:*")
            client.connect(server.get_string(zmq.LAST_ENDPOINT))
            await client.send(b"open")
            assert await asyncio.wait_for(server.recv(), TIMEOUT_MS / 1000) == b"open"
        finally:
            server.close(linger=0)
            client.close(linger=0)

    try:
        asyncio.run(main())
    finally:
        ctx.term()
