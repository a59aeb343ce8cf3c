"""Proxy devices: ``zmq.proxy`` between an in- and an out-socket, copying every message
to a third (monitor) socket."""

from __future__ import annotations

from typing import Any, Tuple

import zmq
from zmq.backend import proxy
from zmq.devices.basedevice import Device, ProcessDevice, ThreadDevice


class ProxyBase(Device):
    """Adds the monitor socket (``mon_type``, PUB by default) and its ``*_mon`` methods
    to a Device; :meth:`run_device` runs ``zmq.proxy(in, out, mon)``."""

    def __init__(self, in_type: int, out_type: int, mon_type: int = zmq.PUB) -> None:
        Device.__init__(self, zmq.QUEUE, in_type, out_type)
        self.mon_type = mon_type

    def bind_mon(self, addr: str) -> None:
        """Queue ``mon_socket.bind(addr)``."""
        self._enqueue("mon", "bind", addr)

    def bind_mon_to_random_port(self, addr: str, *args: int, **kwargs: int) -> int:
        """Like :meth:`bind_in_to_random_port`, for the monitor socket."""
        return self._enqueue_random_port("mon", addr, *args, **kwargs)

    def connect_mon(self, addr: str) -> None:
        """Queue ``mon_socket.connect(addr)``."""
        self._enqueue("mon", "connect", addr)

    def setsockopt_mon(self, opt: int, value: Any) -> None:
        """Queue ``mon_socket.setsockopt(opt, value)``."""
        self._enqueue("mon", "setsockopt", opt, value)

    def _setup_sockets(self) -> Tuple[zmq.Socket, ...]:
        return (*Device._setup_sockets(self), self._make_socket("mon", self.mon_type))

    def run_device(self) -> None:
        proxy(*self._setup_sockets())


class Proxy(ProxyBase, Device):
    """A proxy run in the calling thread: ``Proxy(in_type, out_type, mon_type=PUB)``."""


class ThreadProxy(ProxyBase, ThreadDevice):
    """A proxy run in a background thread."""


class ProcessProxy(ProxyBase, ProcessDevice):
    """A proxy run in a child process."""


__all__ = ["Proxy", "ThreadProxy", "ProcessProxy"]
