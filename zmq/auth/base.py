"""The ZAP (ZeroMQ Authentication Protocol, RFC 27) handler, without any event loop.

libzmq asks the handler bound to ``inproc://zeromq.zap.01`` in the server socket's
context whether each incoming connection may proceed. :class:`Authenticator` answers
from its address allow/deny lists, PLAIN passwords and CURVE public keys; someone must
feed it the requests (:mod:`zmq.auth.thread` does so in a background thread).
"""

from __future__ import annotations

import inspect
import logging
import os
from typing import Any, Dict, List, Optional, Set, Tuple, Union

import zmq
from zmq.auth.certs import load_certificates
from zmq.utils import z85

#: ``configure_curve(location=CURVE_ALLOW_ANY)`` accepts every client key
CURVE_ALLOW_ANY = "*"

ZAP_ENDPOINT = "inproc://zeromq.zap.01"
_ZAP_VERSION = b"1.0"


class Authenticator:
    """ZAP authentication for the sockets of one context.

    Until a policy is configured, NULL connections are accepted (plain ZeroMQ behaviour)
    and PLAIN/CURVE connections are refused. ``allow``/``deny`` filter by client IP
    address for every mechanism (a PLAIN or CURVE client from an allowed address must
    still authenticate). Nothing calls :meth:`handle_zap_message` by itself: either read
    ``zap_socket`` yourself, or use :class:`zmq.auth.thread.ThreadAuthenticator` (or
    :class:`zmq.auth.asyncio.AsyncioAuthenticator`).

    .. versionadded:: 14.1

    Parameters
    ----------
    context : Context, optional
        The context whose sockets are authenticated (default ``zmq.Context.instance()``).
        ZAP applies to every socket of that context with a security mechanism (or a
        ``zap_domain``).
    encoding : str, optional
        How PLAIN usernames and passwords are decoded (default UTF-8).
    log : logging.Logger, optional
        Where decisions are logged (default the ``zmq.auth`` logger).
    """

    context: zmq.Context
    encoding: str
    allow_any: bool
    credentials_providers: Dict[str, Any]
    zap_socket: Optional[zmq.Socket]
    passwords: Dict[str, Dict[str, str]]
    certs: Dict[str, Dict[bytes, Any]]
    log: Any

    def __init__(
        self,
        context: Optional[zmq.Context] = None,
        encoding: str = "utf-8",
        log: Any = None,
    ) -> None:
        self.context = context or zmq.Context.instance()
        self.encoding = encoding
        self.allow_any = False
        self.credentials_providers = {}
        self.zap_socket = None
        self._allowed: Set[str] = set()
        self._denied: Set[str] = set()
        self.passwords = {}
        self.certs = {}
        self.log = log or logging.getLogger("zmq.auth")

    def start(self) -> None:
        """Create the ZAP socket and bind it for this context."""
        self.log.debug("Starting")
        self.zap_socket = self.context.socket(zmq.REP, socket_class=zmq.Socket)
        self.zap_socket.linger = 1
        self.zap_socket.bind(ZAP_ENDPOINT)

    def stop(self) -> None:
        """Close the ZAP socket."""
        if self.zap_socket is not None and not self.zap_socket.closed:
            # close() frees an inproc address only later: unbind so that a new
            # authenticator can bind the ZAP endpoint right away
            self.zap_socket.unbind(ZAP_ENDPOINT)
            self.zap_socket.close()
        self.zap_socket = None

    # -- policy --

    def allow(self, *addresses: str) -> None:
        """Accept connections only from these IP addresses.

        NULL clients from them are accepted; PLAIN and CURVE clients must still
        authenticate. Calling it again adds addresses. Not combinable with :meth:`deny`.

        Parameters
        ----------
        *addresses : str
            IP addresses, e.g. ``"127.0.0.1"``.
        """
        if self._denied:
            raise ValueError("Only use allow or deny, not both")
        self.log.debug("Allowing %s", ",".join(addresses))
        self._allowed.update(addresses)

    def deny(self, *addresses: str) -> None:
        """Refuse connections from these IP addresses; others go on to authenticate.

        Not combinable with :meth:`allow`.

        Parameters
        ----------
        *addresses : str
            IP addresses.
        """
        if self._allowed:
            raise ValueError("Only use allow or deny, not both")
        self.log.debug("Denying %s", ",".join(addresses))
        self._denied.update(addresses)

    def configure_plain(
        self, domain: str = "*", passwords: Optional[Dict[str, str]] = None
    ) -> None:
        """Accept PLAIN clients whose username and password match.

        .. warning::

            PLAIN sends passwords in clear text: use it only on trusted networks (or over
            an encrypted transport); prefer CURVE otherwise.

        Parameters
        ----------
        domain : str, optional
            The ZAP domain this applies to; ``"*"`` (the default) for every domain.
        passwords : dict, optional
            ``{username: password}``; None accepts nobody.
        """
        self.passwords[domain] = dict(passwords or {})
        self.log.debug("Configure plain: %s", domain)

    def configure_curve(
        self, domain: str = "*", location: Union[str, os.PathLike[str]] = "."
    ) -> None:
        """Accept CURVE clients whose public key has a certificate in a directory.

        The directory is read now: call again after adding or removing certificates. A
        directory that cannot be read is logged as an error and then accepts no key.

        Parameters
        ----------
        domain : str, optional
            The ZAP domain this applies to; ``"*"`` (the default) for every domain.
        location : str or path, optional
            A directory of public certificates (``*.key`` files, see
            :func:`zmq.auth.create_certificates`), or :data:`zmq.auth.CURVE_ALLOW_ANY` to
            accept every client key (encryption without client authentication).
        """
        self.log.debug("Configure curve: %s[%s]", domain, location)
        if location == CURVE_ALLOW_ANY:
            self.allow_any = True
            return
        self.allow_any = False
        try:
            self.certs[domain] = load_certificates(location)
        except Exception as e:
            self.certs.pop(domain, None)
            self.log.error("Failed to load CURVE certs from %s: %s", location, e)

    def configure_curve_callback(self, domain: str = "*", credentials_provider: Any = None) -> None:
        """Accept CURVE clients for which a callback says yes.

        Parameters
        ----------
        domain : str, optional
            The ZAP domain this applies to; ``"*"`` (the default) for every domain.
        credentials_provider : object
            Has ``callback(domain, key)``, called with the domain and the client's Z85
            public key (bytes); its result (or the awaited result, if awaitable) is true
            to accept.
        """
        self.allow_any = False
        if credentials_provider is None:
            self.log.error("None credentials_provider provided for domain:%s", domain)
            self.credentials_providers.pop(domain, None)
            return
        self.credentials_providers[domain] = credentials_provider

    def configure_gssapi(self, domain: str = "*", location: Optional[str] = None) -> None:
        """Configure GSSAPI: nothing to do, GSSAPI clients are authenticated by the GSSAPI
        service before ZAP sees them, and are accepted here.

        Parameters
        ----------
        domain : str, optional
            The ZAP domain.
        location : str, optional
            Ignored.
        """
        self.log.debug("Configure GSSAPI: %s", domain)

    def curve_user_id(self, client_public_key: bytes) -> str:
        """The User-Id given to an accepted CURVE client (``frame.get("User-Id")``).

        Override to map keys to user names.

        Parameters
        ----------
        client_public_key : bytes
            The client's public key (32 raw bytes).

        Returns
        -------
        str
            By default the Z85 encoding of the key.
        """
        return z85.encode(client_public_key).decode("ascii")

    # -- ZAP requests --

    async def handle_zap_message(self, msg: List[bytes]) -> None:
        """Answer one ZAP request.

        Parameters
        ----------
        msg : list of bytes
            The frames of the request, as received on ``zap_socket``.
        """
        if len(msg) < 6:
            self.log.error("Invalid ZAP message, not enough frames: %r", msg)
            if len(msg) >= 2:
                self._send_zap_reply(msg[1], b"400", b"Not enough frames")
            return
        version, request_id, raw_domain, raw_address, _routing_id, raw_mechanism = msg[:6]
        credentials = msg[6:]
        if version != _ZAP_VERSION:
            self.log.error("Invalid ZAP version: %r", msg)
            self._send_zap_reply(request_id, b"400", b"Invalid version")
            return
        domain = raw_domain.decode(self.encoding, "replace")
        address = raw_address.decode(self.encoding, "replace")
        mechanism = raw_mechanism.decode("ascii", "replace")
        self.log.debug(
            "version: %r, request_id: %r, domain: %r, address: %r, mechanism: %r",
            version, request_id, domain, address, mechanism,
        )  # fmt: skip

        if self._allowed and address not in self._allowed:
            self.log.debug("DENIED (address not allowed) address=%s", address)
            self._send_zap_reply(request_id, b"400", b"Address not allowed")
            return
        if address in self._denied:
            self.log.debug("DENIED (address denied) address=%s", address)
            self._send_zap_reply(request_id, b"400", b"Address denied")
            return

        expected = {"NULL": 0, "PLAIN": 2, "CURVE": 1, "GSSAPI": 1}.get(mechanism)
        if expected is None or len(credentials) != expected:
            self.log.error("Invalid %s credentials: %r", mechanism, credentials)
            self._send_zap_reply(request_id, b"400", b"Invalid credentials")
            return

        user_id = "anonymous"
        allowed, reason = True, b"OK"  # NULL: the address checks above were all
        if mechanism == "PLAIN":
            user_id, password = (c.decode(self.encoding, "replace") for c in credentials)
            allowed, reason = self._authenticate_plain(domain, user_id, password)
        elif mechanism == "CURVE":
            allowed, reason = await self._authenticate_curve(domain, credentials[0])
            if allowed:
                user_id = self.curve_user_id(credentials[0])
        elif mechanism == "GSSAPI":
            user_id = credentials[0].decode(self.encoding, "replace")
            allowed, reason = self._authenticate_gssapi(domain, credentials[0])

        if allowed:
            self._send_zap_reply(request_id, b"200", b"OK", user_id)
        else:
            self._send_zap_reply(request_id, b"400", reason)

    def _authenticate_plain(self, domain: str, username: str, password: str) -> Tuple[bool, bytes]:
        domain = domain or "*"
        if not self.passwords:
            reason = b"No passwords defined"
        elif domain not in self.passwords:
            reason = b"Unknown domain"
        elif username not in self.passwords[domain]:
            reason = b"Invalid username"
        elif self.passwords[domain][username] != password:
            reason = b"Invalid password"
        else:
            self.log.debug("ALLOWED (PLAIN) domain=%s username=%s", domain, username)
            return True, b"OK"
        self.log.debug("DENIED (PLAIN) domain=%s username=%s: %s", domain, username, reason)
        return False, reason

    async def _authenticate_curve(self, domain: str, client_key: bytes) -> Tuple[bool, bytes]:
        domain = domain or "*"
        if self.allow_any:
            self.log.debug("ALLOWED (CURVE allow any client)")
            return True, b"OK"
        z85_key = z85.encode(client_key)
        if domain in self.credentials_providers:
            verdict = self.credentials_providers[domain].callback(domain, z85_key)
            if inspect.isawaitable(verdict):
                verdict = await verdict
            allowed, reason = bool(verdict), b"OK" if verdict else b"Unknown key"
        elif domain in self.certs:
            allowed = bool(self.certs[domain].get(z85_key))
            reason = b"OK" if allowed else b"Unknown key"
        else:
            allowed, reason = False, b"Unknown domain"
        self.log.debug("%s (CURVE) domain=%s key=%r", "ALLOWED" if allowed else "DENIED",
                       domain, z85_key)  # fmt: skip
        return allowed, reason

    def _authenticate_gssapi(self, domain: str, principal: bytes) -> Tuple[bool, bytes]:
        # the GSSAPI exchange itself already authenticated the principal
        self.log.debug("ALLOWED (GSSAPI) domain=%s principal=%r", domain, principal)
        return True, b"OK"

    def _send_zap_reply(
        self,
        request_id: bytes,
        status_code: bytes,
        status_text: bytes,
        user_id: str = "anonymous",
    ) -> None:
        assert self.zap_socket is not None, "start() the Authenticator first"
        user = user_id.encode(self.encoding) if status_code == b"200" else b""
        self.log.debug("ZAP reply code=%s text=%s", status_code, status_text)
        self.zap_socket.send_multipart(
            [_ZAP_VERSION, request_id, status_code, status_text, user, b""]
        )


__all__ = ["Authenticator", "CURVE_ALLOW_ANY"]
