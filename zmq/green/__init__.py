"""gevent-compatible zmq: ``import zmq.green as zmq``.

Everything ``zmq`` offers, with :class:`Context`, :class:`Socket`, :class:`Poller` and
:func:`device` replaced by versions whose blocking calls let other greenlets run (they
wait in the gevent hub, never in libzmq). Needs gevent; ``import zmq`` does not.
"""

from __future__ import annotations

import zmq as _zmq
from zmq import *  # noqa: F403

# explicitly too: type checkers do not follow the star import above through zmq's
# __all__ (extended from the submodules'); Context, Socket, Poller, device are green's
from zmq.constants import *  # noqa: F403
from zmq.error import *  # noqa: F403
from zmq.green.core import _Context, _Socket
from zmq.green.device import device as device
from zmq.green.poll import _Poller
from zmq.sugar import Frame as Frame
from zmq.sugar import Message as Message
from zmq.sugar import MessageTracker as MessageTracker
from zmq.sugar import Stopwatch as Stopwatch
from zmq.sugar import SyncContext as SyncContext
from zmq.sugar import SyncSocket as SyncSocket
from zmq.sugar import proxy as proxy
from zmq.sugar import proxy_steerable as proxy_steerable
from zmq.sugar import pyzmq_version as pyzmq_version
from zmq.sugar import pyzmq_version_info as pyzmq_version_info
from zmq.sugar import select as select
from zmq.sugar import zmq_poll as zmq_poll
from zmq.sugar import zmq_version as zmq_version
from zmq.sugar import zmq_version_info as zmq_version_info

Context = _Context
Socket = _Socket
Poller = _Poller

__all__ = list(_zmq.__all__)
