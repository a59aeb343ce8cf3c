"""CURVE-secured REQ/REP with certificates on disk, a thread authenticator and the
asyncio authenticator."""

from __future__ import annotations

import asyncio
import os
import tempfile

import zmq
import zmq.asyncio
import zmq.auth
from zmq.auth.asyncio import AsyncioAuthenticator
from zmq.auth.thread import ThreadAuthenticator


def make_certs(base: str) -> tuple[str, str]:
    keys = os.path.join(base, "certificates")
    public_dir = os.path.join(base, "public_keys")
    os.makedirs(keys)
    os.makedirs(public_dir)
    server_public, server_secret = zmq.auth.create_certificates(keys, "server")
    client_public, _ = zmq.auth.create_certificates(keys, "client")
    os.rename(client_public, os.path.join(public_dir, "client.key"))
    print("server keys:", server_public, server_secret)
    return keys, public_dir


def secure_pair(ctx: zmq.Context[zmq.Socket[bytes]], keys: str) -> bytes:
    server_pub, server_sec = zmq.auth.load_certificate(os.path.join(keys, "server.key_secret"))
    client_pub, client_sec = zmq.auth.load_certificate(os.path.join(keys, "client.key_secret"))
    assert server_sec is not None and client_sec is not None
    server = ctx.socket(zmq.REP)
    server.curve_secretkey = server_sec
    server.curve_publickey = server_pub
    server.curve_server = True
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = ctx.socket(zmq.REQ)
    client.curve_secretkey = client_sec
    client.curve_publickey = client_pub
    client.curve_serverkey = server_pub
    client.connect(f"tcp://127.0.0.1:{port}")
    client.send(b"secret hello")
    request = server.recv()
    server.send(request.upper())
    reply = client.recv()
    client.close()
    server.close()
    return reply


async def async_allow(ctx: zmq.asyncio.Context) -> None:
    auth = AsyncioAuthenticator(ctx)
    auth.start()
    auth.allow("127.0.0.1")
    auth.configure_plain(domain="*", passwords={"admin": "secret"})
    server = ctx.socket(zmq.PULL)
    server.plain_server = True
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = ctx.socket(zmq.PUSH)
    client.plain_username = b"admin"
    client.plain_password = b"secret"
    client.connect(f"tcp://127.0.0.1:{port}")
    await client.send(b"plain text")
    print(await server.recv())
    client.close()
    server.close()
    auth.stop()


def main() -> None:
    ctx = zmq.Context()
    with tempfile.TemporaryDirectory() as base:
        keys, public_dir = make_certs(base)
        auth = ThreadAuthenticator(ctx)
        auth.start()
        auth.allow("127.0.0.1")
        auth.configure_curve(domain="*", location=public_dir)
        try:
            print(secure_pair(ctx, keys))
        finally:
            auth.stop()
    actx = zmq.asyncio.Context()
    asyncio.run(async_allow(actx))
    actx.term()
    ctx.term()


if __name__ == "__main__":
    main()
