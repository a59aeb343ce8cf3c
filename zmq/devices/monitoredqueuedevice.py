"""MonitoredQueue devices: :func:`zmq.devices.monitored_queue` run as a device."""

from __future__ import annotations

import zmq
from zmq.constants import PUB  # noqa: F401  (pyzmq's module has it)
from zmq.devices.monitoredqueue import monitored_queue
from zmq.devices.proxydevice import ProcessProxy, Proxy, ProxyBase, ThreadProxy


class MonitoredQueueBase(ProxyBase):
    """A proxy device whose monitor messages are prefixed by the side they came from
    (:func:`zmq.devices.monitored_queue`).

    Parameters
    ----------
    in_type, out_type, mon_type
        As for :class:`Proxy`.
    in_prefix : bytes, optional
        The first frame of monitor messages of what the in-socket received.
    out_prefix : bytes, optional
        The first frame of monitor messages of what the out-socket received.
    """

    def __init__(
        self,
        in_type: int,
        out_type: int,
        mon_type: int = zmq.PUB,
        in_prefix: bytes = b"in",
        out_prefix: bytes = b"out",
    ) -> None:
        ProxyBase.__init__(self, in_type, out_type, mon_type)
        self._in_prefix = in_prefix
        self._out_prefix = out_prefix

    def run_device(self) -> None:
        ins, outs, mons = self._setup_sockets()
        monitored_queue(ins, outs, mons, self._in_prefix, self._out_prefix)


class MonitoredQueue(MonitoredQueueBase, Proxy):
    """A monitored queue run in the calling thread:
    ``MonitoredQueue(in_type, out_type, mon_type=PUB, in_prefix=b"in", out_prefix=b"out")``."""


class ThreadMonitoredQueue(MonitoredQueueBase, ThreadProxy):
    """A monitored queue run in a background thread."""


class ProcessMonitoredQueue(MonitoredQueueBase, ProcessProxy):
    """A monitored queue run in a child process."""


__all__ = ["MonitoredQueue", "ThreadMonitoredQueue", "ProcessMonitoredQueue"]
