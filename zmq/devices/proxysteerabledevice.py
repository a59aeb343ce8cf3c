"""Steerable proxy devices: ``zmq.proxy_steerable`` with a control socket that accepts
the PAUSE, RESUME, TERMINATE (and STATISTICS) commands."""

from __future__ import annotations

from typing import Any, Optional, Tuple

import zmq
from zmq.backend import proxy_steerable
from zmq.devices.basedevice import _document_role
from zmq.devices.proxydevice import ProcessProxy, Proxy, ProxyBase, ThreadProxy


class ProxySteerableBase(ProxyBase):
    """Adds a control socket to a proxy device: it runs ``zmq.proxy_steerable``, which
    obeys the ``PAUSE``, ``RESUME``, ``TERMINATE`` (and ``STATISTICS``) commands
    received on the control socket.

    .. versionadded:: 18.0

    Parameters
    ----------
    in_type, out_type, mon_type
        As for :class:`Proxy`.
    ctrl_type : int
        The socket type of the control socket (e.g. ``zmq.PAIR`` or ``zmq.SUB``);
        required.
    """

    def __init__(
        self,
        in_type: int,
        out_type: int,
        mon_type: int = zmq.PUB,
        ctrl_type: Optional[int] = None,
    ) -> None:
        if ctrl_type is None:
            raise TypeError("ctrl_type must be specified")
        ProxyBase.__init__(self, in_type, out_type, mon_type)
        self.ctrl_type = ctrl_type

    def bind_ctrl(self, addr: str) -> None:
        self._enqueue("ctrl", "bind", addr)

    def bind_ctrl_to_random_port(self, addr: str, *args: int, **kwargs: int) -> int:
        return self._enqueue_random_port("ctrl", addr, *args, **kwargs)

    def connect_ctrl(self, addr: str) -> None:
        self._enqueue("ctrl", "connect", addr)

    def setsockopt_ctrl(self, opt: int, value: Any) -> None:
        self._enqueue("ctrl", "setsockopt", opt, value)

    def _setup_sockets(self) -> Tuple[zmq.Socket, ...]:
        return (*ProxyBase._setup_sockets(self), self._make_socket(self.ctrl_type, "ctrl"))

    def run_device(self) -> None:
        proxy_steerable(*self._setup_sockets())


_document_role(ProxySteerableBase, "ctrl")


class ProxySteerable(ProxySteerableBase, Proxy):
    """A steerable proxy run in the calling thread:
    ``ProxySteerable(in_type, out_type, mon_type=PUB, ctrl_type=...)``."""


class ThreadProxySteerable(ProxySteerableBase, ThreadProxy):
    """A steerable proxy run in a background thread."""


class ProcessProxySteerable(ProxySteerableBase, ProcessProxy):
    """A steerable proxy run in a child process."""


__all__ = ["ProxySteerable", "ThreadProxySteerable", "ProcessProxySteerable"]
