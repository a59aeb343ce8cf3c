"""A local TCP listener whose connections paramiko carries to a host seen from the server.

Only used by :func:`zmq.ssh.tunnel.paramiko_tunnel` (paramiko itself is optional).
"""

from __future__ import annotations

import logging
import select
import socketserver
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import paramiko

__all__ = ["forward_tunnel"]

logger = logging.getLogger("ssh")

_CHUNK = 65536


class ForwardServer(socketserver.ThreadingTCPServer):
    daemon_threads: bool = True
    allow_reuse_address: bool = True

    def __init__(
        self,
        server_address: Any,
        RequestHandlerClass: Any,  # socketserver's parameter name
        bind_and_activate: bool = True,
    ) -> None:
        super().__init__(server_address, RequestHandlerClass, bind_and_activate)
        self._open = 0
        self._changed = threading.Condition()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._changed:
            self._open += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        super().shutdown_request(request)
        with self._changed:
            self._open -= 1
            self._changed.notify_all()

    def wait_idle(self, after: float) -> None:
        """Return once ``after`` seconds have passed and no connection is open (the way
        ``ssh ... sleep N`` ends its tunnel)."""
        deadline = time.monotonic() + after
        with self._changed:
            while self._open or time.monotonic() < deadline:
                self._changed.wait(max(deadline - time.monotonic(), 0) or None)


class Handler(socketserver.BaseRequestHandler):
    """Copies bytes both ways between one local connection and an SSH channel."""

    ssh_transport: paramiko.Transport
    chain_host: str
    chain_port: int

    def handle(self) -> None:
        try:
            channel = self.ssh_transport.open_channel(
                "direct-tcpip",
                (self.chain_host, self.chain_port),
                self.request.getpeername(),
            )
        except Exception as e:
            logger.debug("forwarding to %s:%d failed: %r", self.chain_host, self.chain_port, e)
            return
        if channel is None:
            logger.debug("the server refused forwarding to %s:%d", self.chain_host, self.chain_port)
            return
        try:
            while True:
                readable, _, _ = select.select([self.request, channel], [], [])
                if self.request in readable:
                    data = self.request.recv(_CHUNK)
                    if not data:
                        break
                    channel.sendall(data)
                if channel in readable:
                    data = channel.recv(_CHUNK)
                    if not data:
                        break
                    self.request.sendall(data)
        finally:
            channel.close()
            self.request.close()


def forward_tunnel(
    local_port: int, remote_host: str, remote_port: int, transport: paramiko.Transport
) -> None:
    """Serve forever: connections to 127.0.0.1:``local_port`` reach
    ``remote_host:remote_port`` through ``transport``."""
    make_server(local_port, remote_host, remote_port, transport).serve_forever()


def make_server(
    local_port: int, remote_host: str, remote_port: int, transport: paramiko.Transport
) -> ForwardServer:
    class _Handler(Handler):
        ssh_transport = transport
        chain_host = remote_host
        chain_port = remote_port

    return ForwardServer(("127.0.0.1", local_port), _Handler)
