"""Authenticator.handle_zap_message driven by hand: ZAP requests sent by a REQ socket to
the authenticator's ZAP endpoint, answered by awaiting handle_zap_message."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest

import zmq
from zmq.auth import CURVE_ALLOW_ANY, Authenticator
from zmq.auth.base import ZAP_ENDPOINT
from zmq.utils import z85


@pytest.fixture
def zap(context: zmq.Context) -> Iterator[Any]:
    """``zap(frames) -> reply frames`` through a started Authenticator (``zap.auth``)."""
    auth = Authenticator(context)
    auth.start()
    assert auth.zap_socket is not None
    req = context.socket(zmq.REQ)
    req.linger = 0
    req.rcvtimeo = 10_000
    req.connect(ZAP_ENDPOINT)

    def ask(frames: list[bytes]) -> list[bytes]:
        req.send_multipart(frames)
        assert auth.zap_socket is not None
        assert auth.zap_socket.poll(10_000)
        asyncio.run(auth.handle_zap_message(auth.zap_socket.recv_multipart()))
        return req.recv_multipart()

    ask.auth = auth  # type: ignore[attr-defined]
    yield ask
    auth.stop()


def request(mechanism: bytes, *credentials: bytes, domain: bytes = b"") -> list[bytes]:
    return [b"1.0", b"req-1", domain, b"127.0.0.1", b"", mechanism, *credentials]


def test_defaults(context: zmq.Context) -> None:
    auth = Authenticator(context)
    assert auth.context is context
    assert auth.encoding == "utf-8"
    assert auth.zap_socket is None
    assert isinstance(auth.log, logging.Logger) and auth.log.name == "zmq.auth"
    assert Authenticator().context is zmq.Context.instance()
    assert CURVE_ALLOW_ANY == "*"


def test_null_reply_frames(zap: Any) -> None:
    assert zap(request(b"NULL")) == [b"1.0", b"req-1", b"200", b"OK", b"anonymous", b""]


def test_bad_requests_get_400(zap: Any) -> None:
    bad_version = [b"2.0", *request(b"NULL")[1:]]
    assert zap(bad_version)[:3] == [b"1.0", b"req-1", b"400"]
    assert zap(request(b"NULL")[:4])[2] == b"400"
    assert zap(request(b"PLAIN", b"only-user"))[2] == b"400"
    assert zap(request(b"CURVE"))[2] == b"400"


def test_plain_user_id_and_reasons(zap: Any) -> None:
    zap.auth.configure_plain("*", {"alice": "pw"})
    assert zap(request(b"PLAIN", b"alice", b"pw"))[2:5] == [b"200", b"OK", b"alice"]
    code, text, user = zap(request(b"PLAIN", b"alice", b"bad"))[2:5]
    assert (code, user) == (b"400", b"")
    assert text == b"Invalid password"
    assert zap(request(b"PLAIN", b"bob", b"pw"))[3] == b"Invalid username"
    zap.auth.passwords.clear()
    zap.auth.configure_plain("east", {"alice": "pw"})
    assert zap(request(b"PLAIN", b"alice", b"pw", domain=b"west"))[3] == b"Unknown domain"
    assert zap(request(b"PLAIN", b"alice", b"pw", domain=b"east"))[2] == b"200"


def test_curve_user_id_is_z85_key(zap: Any) -> None:
    public, _ = zmq.curve_keypair()
    raw = z85.decode(public)
    assert zap(request(b"CURVE", raw))[2] == b"400"
    zap.auth.configure_curve(location=CURVE_ALLOW_ANY)
    assert zap(request(b"CURVE", raw))[2:5] == [b"200", b"OK", public]

    class Named(Authenticator):
        def curve_user_id(self, client_public_key: bytes) -> str:
            return "user-" + client_public_key.decode()[:4]

    assert Named(zap.auth.context).curve_user_id(public) == "user-" + public.decode()[:4]


def test_gssapi_accepted_with_principal(zap: Any) -> None:
    zap.auth.configure_gssapi()
    assert zap(request(b"GSSAPI", b"alice@REALM"))[2:5] == [b"200", b"OK", b"alice@REALM"]


def test_address_lists(zap: Any) -> None:
    zap.auth.allow("10.0.0.1")
    assert zap(request(b"NULL"))[2] == b"400"
    zap.auth.allow("127.0.0.1")
    assert zap(request(b"NULL"))[2] == b"200"
