"""The backend: the only layer that talks to libzmq.

``PYZMQ_BACKEND`` picks it: ``cython`` (default on CPython), ``cffi`` (default on PyPy)
or the path of a module that exports :data:`zmq.backend._contract.PUBLIC_API`. A backend
that fails to import raises ImportError (chained to the cause); there is no fallback.
``__impl__`` is the loaded backend's name.
"""

from __future__ import annotations

from zmq.backend._contract import PUBLIC_API
from zmq.backend.select import requested_backend, select_backend

__impl__: str = requested_backend()
globals().update(select_backend(__impl__))

__all__ = list(PUBLIC_API)
