"""Proxy devices: ``zmq.proxy`` between an in- and an out-socket, copying every message
to a third (monitor) socket."""

from __future__ import annotations

from typing import Any, Tuple

import zmq
from zmq.backend import proxy
from zmq.devices.basedevice import Device, ProcessDevice, ThreadDevice, _document_role


class ProxyBase(Device):
    """Adds a monitor socket to a Device: it runs ``zmq.proxy(in, out, mon)``, and the
    monitor socket receives a copy of every message.

    Parameters
    ----------
    in_type : int
        The socket type of the in-socket (e.g. ``zmq.ROUTER``).
    out_type : int
        The socket type of the out-socket (e.g. ``zmq.DEALER``).
    mon_type : int, optional
        The socket type of the monitor socket (default ``zmq.PUB``).
    """

    def __init__(self, in_type: int, out_type: int, mon_type: int = zmq.PUB) -> None:
        Device.__init__(self, zmq.QUEUE, in_type, out_type)
        self.mon_type = mon_type

    def bind_mon(self, addr: str) -> None:
        self._enqueue("mon", "bind", addr)

    def bind_mon_to_random_port(self, addr: str, *args: int, **kwargs: int) -> int:
        return self._enqueue_random_port("mon", addr, *args, **kwargs)

    def connect_mon(self, addr: str) -> None:
        self._enqueue("mon", "connect", addr)

    def setsockopt_mon(self, opt: int, value: Any) -> None:
        self._enqueue("mon", "setsockopt", opt, value)

    def _setup_sockets(self) -> Tuple[zmq.Socket, ...]:
        return (*Device._setup_sockets(self), self._make_socket(self.mon_type, "mon"))

    def run_device(self) -> None:
        proxy(*self._setup_sockets())


_document_role(ProxyBase, "mon")


class Proxy(ProxyBase, Device):
    """A proxy run in the calling thread: ``Proxy(in_type, out_type, mon_type=PUB)``."""


class ThreadProxy(ProxyBase, ThreadDevice):
    """A proxy run in a background thread."""


class ProcessProxy(ProxyBase, ProcessDevice):
    """A proxy run in a child process."""


__all__ = ["Proxy", "ThreadProxy", "ProcessProxy"]
