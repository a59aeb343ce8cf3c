"""The pure-Python layer over the backend: Context, Socket, Frame, Poller and friends."""

from __future__ import annotations

from zmq import backend as _backend
from zmq.backend import device, proxy, proxy_steerable, zmq_poll
from zmq.error import (
    Again,
    ContextTerminated,
    DraftFDWarning,
    InterruptedSystemCall,
    NotDone,
    ZMQBaseError,
    ZMQBindError,
    ZMQError,
    ZMQVersionError,
)
from zmq.sugar._backend_docs import FUNCTIONS as _FUNCTION_DOCS
from zmq.sugar._backend_docs import document as _document
from zmq.sugar.context import Context, SyncContext
from zmq.sugar.frame import Frame, Message
from zmq.sugar.poll import Poller, select
from zmq.sugar.socket import Socket, SyncSocket
from zmq.sugar.stopwatch import Stopwatch
from zmq.sugar.tracker import _FINISHED_TRACKER, MessageTracker
from zmq.sugar.version import (
    __revision__,
    __version__,
    pyzmq_version,
    pyzmq_version_info,
    zmq_version,
    zmq_version_info,
)

_document(_backend, _FUNCTION_DOCS)

# A literal list, so that type checkers see `from zmq.sugar import *` (and `zmq.X`);
# tests/sugar/test_namespace.py checks it against the submodules' own __all__.
__all__ = [
    "device",
    "proxy",
    "proxy_steerable",
    "zmq_poll",
    # context
    "Context",
    "SyncContext",
    # error
    "ZMQBaseError",
    "ZMQError",
    "ZMQBindError",
    "NotDone",
    "ContextTerminated",
    "Again",
    "InterruptedSystemCall",
    "ZMQVersionError",
    "DraftFDWarning",
    # frame
    "Frame",
    "Message",
    # poll
    "Poller",
    "select",
    # socket
    "Socket",
    "SyncSocket",
    # stopwatch
    "Stopwatch",
    # tracker
    "MessageTracker",
    "_FINISHED_TRACKER",
    # version
    "zmq_version",
    "zmq_version_info",
    "pyzmq_version",
    "pyzmq_version_info",
    "__version__",
    "__revision__",
]
