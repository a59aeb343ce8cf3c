"""Fixtures for ZAP tests: a running ThreadAuthenticator, CURVE certificates and a
probe that reports whether a client got through a server's handshake."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, Callable

import pytest

import zmq
from zmq.auth.certs import create_certificates, load_certificate
from zmq.auth.thread import ThreadAuthenticator
from zmq.utils.monitor import recv_monitor_message

TIMEOUT_MS = 10_000
HANDSHAKE_EVENTS = (
    zmq.EVENT_HANDSHAKE_SUCCEEDED
    | zmq.EVENT_HANDSHAKE_FAILED_AUTH
    | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
    | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL
)


@pytest.fixture
def auth(context: zmq.Context) -> Iterator[ThreadAuthenticator]:
    """A started ThreadAuthenticator on ``context`` (stopped before the context ends)."""
    authenticator = ThreadAuthenticator(context)
    authenticator.start()
    yield authenticator
    authenticator.stop()


@pytest.fixture
def certs(tmp_path: Any) -> dict[str, Any]:
    """Server and client key pairs; the client's public certificate alone is in
    ``public_dir`` (what a server trusts), the secret files elsewhere."""
    keys_dir, public_dir = tmp_path / "keys", tmp_path / "public"
    keys_dir.mkdir()
    public_dir.mkdir()
    create_certificates(keys_dir, "server")
    client_public_file, _ = create_certificates(keys_dir, "client")
    os.replace(client_public_file, public_dir / "client.key")
    create_certificates(keys_dir, "stranger")
    result: dict[str, Any] = {"public_dir": str(public_dir)}
    for name in ("server", "client", "stranger"):
        result[name] = load_certificate(keys_dir / f"{name}.key_secret")
    return result


class Curve:
    """Socket setups for a CURVE server with the ``server`` keys and its clients."""

    def __init__(self, certs: dict[str, Any], handshake: Callable[..., bool]) -> None:
        self.certs = certs
        self.handshake = handshake

    def accepted(self, client_name: str) -> bool:
        """Whether the client with the ``client_name`` keys gets through."""
        return self.handshake(self.server, self.client(client_name))

    def server(self, sock: zmq.Socket) -> None:
        sock.curve_publickey, sock.curve_secretkey = self.certs["server"]
        sock.curve_server = True

    def client(self, name: str) -> Callable[[zmq.Socket], None]:
        def setup(sock: zmq.Socket) -> None:
            sock.curve_publickey, sock.curve_secretkey = self.certs[name]
            sock.curve_serverkey = self.certs["server"][0]

        return setup


@pytest.fixture
def curve(certs: dict[str, Any], handshake: Callable[..., bool]) -> Curve:
    return Curve(certs, handshake)


@pytest.fixture
def handshake(context: zmq.Context) -> Callable[..., bool]:
    """``handshake(setup_server, setup_client)``: connect a PUSH client to a PULL server
    over tcp after applying the setups; True if the server's monitor reports a
    successful handshake and a message arrives, False if it reports a failed one."""

    def run(
        setup_server: Callable[[zmq.Socket], None], setup_client: Callable[[zmq.Socket], None]
    ) -> bool:
        server, client = context.socket(zmq.PULL), context.socket(zmq.PUSH)
        for sock in (server, client):
            sock.linger = 0
            sock.rcvtimeo = sock.sndtimeo = TIMEOUT_MS
        setup_server(server)
        setup_client(client)
        monitor = server.get_monitor_socket(HANDSHAKE_EVENTS)
        server.bind("tcp://127.0.0.1:*")
        client.connect(server.last_endpoint.decode())
        assert monitor.poll(TIMEOUT_MS), "no handshake event from the server"
        event = recv_monitor_message(monitor)["event"]
        if event != zmq.EVENT_HANDSHAKE_SUCCEEDED:
            assert event == zmq.EVENT_HANDSHAKE_FAILED_AUTH, event
            return False
        client.send(b"through")
        assert server.recv() == b"through"
        return True

    return run
