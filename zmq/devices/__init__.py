"""Devices that run in the foreground, in a background thread or in a child process and
create their own sockets: :class:`Device`, proxies (:class:`Proxy`,
:class:`ProxySteerable`) and :class:`MonitoredQueue`, each with Thread and Process
variants, plus :func:`monitored_queue`."""

from __future__ import annotations

# the device type enum and the submodules are reachable here too, as in pyzmq
from zmq.constants import DeviceType as DeviceType
from zmq.devices import basedevice as basedevice
from zmq.devices import monitoredqueue as monitoredqueue
from zmq.devices import monitoredqueuedevice as monitoredqueuedevice
from zmq.devices import proxydevice as proxydevice
from zmq.devices import proxysteerabledevice as proxysteerabledevice
from zmq.devices.basedevice import Device, ProcessDevice, ThreadDevice
from zmq.devices.monitoredqueue import monitored_queue
from zmq.devices.monitoredqueuedevice import (
    MonitoredQueue,
    ProcessMonitoredQueue,
    ThreadMonitoredQueue,
)
from zmq.devices.proxydevice import ProcessProxy, Proxy, ThreadProxy
from zmq.devices.proxysteerabledevice import (
    ProcessProxySteerable,
    ProxySteerable,
    ThreadProxySteerable,
)

__all__ = [
    "Device",
    "ThreadDevice",
    "ProcessDevice",
    "Proxy",
    "ThreadProxy",
    "ProcessProxy",
    "ProxySteerable",
    "ThreadProxySteerable",
    "ProcessProxySteerable",
    "monitored_queue",
    "MonitoredQueue",
    "ThreadMonitoredQueue",
    "ProcessMonitoredQueue",
]
