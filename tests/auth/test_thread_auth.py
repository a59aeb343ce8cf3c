"""ThreadAuthenticator with real NULL, PLAIN and CURVE handshakes over tcp."""

from __future__ import annotations

from typing import Any, Callable

import pytest

import zmq
from zmq.auth import CURVE_ALLOW_ANY
from zmq.auth.thread import ThreadAuthenticator


def null_server(sock: zmq.Socket) -> None:
    sock.zap_domain = b"global"  # NULL connections consult ZAP only with a domain


def nothing(sock: zmq.Socket) -> None:
    pass


def plain_server(sock: zmq.Socket) -> None:
    sock.plain_server = True


def plain_client(user: str, password: str) -> Callable[[zmq.Socket], None]:
    def setup(sock: zmq.Socket) -> None:
        sock.plain_username, sock.plain_password = user.encode(), password.encode()

    return setup


def test_start_stop(context: zmq.Context) -> None:
    auth = ThreadAuthenticator(context)
    assert not auth.is_alive()
    auth.start()
    assert auth.is_alive()
    assert auth.zap_socket is not None
    auth.stop()
    assert not auth.is_alive()
    assert auth.zap_socket is None
    auth.stop()  # a second stop is harmless
    # the ZAP endpoint is free again: a new authenticator can take over
    again = ThreadAuthenticator(context)
    again.start()
    again.stop()


def test_null_accepted_by_default(auth: ThreadAuthenticator, handshake: Any) -> None:
    assert handshake(null_server, nothing)


def test_deny_address(auth: ThreadAuthenticator, handshake: Any) -> None:
    auth.deny("127.0.0.1")
    assert not handshake(null_server, nothing)


def test_allow_address(auth: ThreadAuthenticator, handshake: Any) -> None:
    auth.allow("192.0.2.1")  # an address the client does not have
    assert not handshake(null_server, nothing)
    auth.allow("127.0.0.1")
    assert handshake(null_server, nothing)


def test_allow_and_deny_exclusive(auth: ThreadAuthenticator) -> None:
    auth.allow("127.0.0.1")
    with pytest.raises(ValueError):
        auth.deny("10.0.0.1")


def test_plain(auth: ThreadAuthenticator, handshake: Any) -> None:
    auth.configure_plain(domain="*", passwords={"admin": "secret"})
    assert handshake(plain_server, plain_client("admin", "secret"))
    assert not handshake(plain_server, plain_client("admin", "wrong"))
    assert not handshake(plain_server, plain_client("nobody", "secret"))


def test_plain_unconfigured_refused(auth: ThreadAuthenticator, handshake: Any) -> None:
    assert not handshake(plain_server, plain_client("admin", "secret"))


def test_plain_from_denied_address(auth: ThreadAuthenticator, handshake: Any) -> None:
    auth.configure_plain(passwords={"admin": "secret"})
    auth.deny("127.0.0.1")
    assert not handshake(plain_server, plain_client("admin", "secret"))


def test_plain_per_domain(auth: ThreadAuthenticator, handshake: Any) -> None:
    auth.configure_plain(domain="north", passwords={"admin": "secret"})

    def server_in(domain: str) -> Callable[[zmq.Socket], None]:
        def setup(sock: zmq.Socket) -> None:
            plain_server(sock)
            sock.zap_domain = domain.encode()

        return setup

    assert handshake(server_in("north"), plain_client("admin", "secret"))
    assert not handshake(server_in("south"), plain_client("admin", "secret"))


def test_curve_certificate_directory(
    auth: ThreadAuthenticator, curve: Any, certs: dict[str, Any]
) -> None:
    auth.configure_curve(domain="*", location=certs["public_dir"])
    assert curve.accepted("client")
    assert not curve.accepted("stranger")


def test_curve_unconfigured_refused(
    auth: ThreadAuthenticator, curve: Any, certs: dict[str, Any]
) -> None:
    assert not curve.accepted("client")


def test_curve_missing_directory_refuses(
    auth: ThreadAuthenticator, curve: Any, certs: dict[str, Any], tmp_path: Any
) -> None:
    auth.configure_curve(location=certs["public_dir"])
    auth.configure_curve(location=str(tmp_path / "missing"))  # logged; trusts nothing
    assert not curve.accepted("client")


def test_curve_allow_any(auth: ThreadAuthenticator, curve: Any, certs: dict[str, Any]) -> None:
    auth.configure_curve(domain="*", location=CURVE_ALLOW_ANY)
    assert curve.accepted("stranger")


class Provider:
    def __init__(self, allowed: bytes, asynchronous: bool = False) -> None:
        self.allowed = allowed
        self.asynchronous = asynchronous
        self.calls: list[tuple[str, bytes]] = []

    def callback(self, domain: str, key: bytes) -> Any:
        self.calls.append((domain, key))
        if not self.asynchronous:
            return key == self.allowed

        async def verdict() -> bool:
            return key == self.allowed

        return verdict()


@pytest.mark.parametrize("asynchronous", [False, True])
def test_curve_callback(
    auth: ThreadAuthenticator, curve: Any, certs: dict[str, Any], asynchronous: bool
) -> None:
    provider = Provider(certs["client"][0], asynchronous)
    auth.configure_curve_callback(domain="*", credentials_provider=provider)
    assert curve.accepted("client")
    assert not curve.accepted("stranger")
    assert provider.calls == [("*", certs["client"][0]), ("*", certs["stranger"][0])]


def test_stop_on_context_termination() -> None:
    """term() of the context ends the thread and completes (the thread closes its
    sockets) even without stop()."""
    ctx = zmq.Context()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    thread = auth.thread
    assert thread is not None
    pipe = auth.pipe
    assert pipe is not None
    pipe.close()
    auth.pipe = None
    ctx.term()
    thread.join(10)
    assert not thread.is_alive()
    assert not auth.is_alive()
