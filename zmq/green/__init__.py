"""gevent-compatible zmq: ``import zmq.green as zmq``.

Everything ``zmq`` offers, with :class:`Context`, :class:`Socket`, :class:`Poller` and
:func:`device` replaced by versions whose blocking calls let other greenlets run (they
wait in the gevent hub, never in libzmq). Needs gevent; ``import zmq`` does not.
"""

from __future__ import annotations

import zmq as _zmq
from zmq import *  # noqa: F403

# explicitly too: type checkers do not follow the star import above through zmq's __all__
from zmq.constants import *  # noqa: F403
from zmq.error import *  # noqa: F403
from zmq.green.core import _Context, _Socket
from zmq.green.device import device as device
from zmq.green.poll import _Poller

Context = _Context
Socket = _Socket
Poller = _Poller

__all__ = list(_zmq.__all__)
