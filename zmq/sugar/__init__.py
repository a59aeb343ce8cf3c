"""The pure-Python layer over the backend: Context, Socket, Frame, Poller and friends."""

from __future__ import annotations

from zmq import error
from zmq.backend import device, proxy, proxy_steerable, zmq_poll
from zmq.error import *  # noqa: F403
from zmq.sugar import context, frame, poll, socket, tracker, version
from zmq.sugar.context import *  # noqa: F403
from zmq.sugar.frame import *  # noqa: F403
from zmq.sugar.poll import *  # noqa: F403
from zmq.sugar.socket import *  # noqa: F403
from zmq.sugar.tracker import *  # noqa: F403
from zmq.sugar.version import *  # noqa: F403

__all__ = ["device", "proxy", "proxy_steerable", "zmq_poll"]
for _module in (context, error, frame, poll, socket, tracker, version):
    __all__.extend(_module.__all__)
del _module
