"""The backend: the only layer that talks to libzmq.

``PYZMQ_BACKEND`` picks it: ``cython`` (default on CPython), ``cffi`` (default on PyPy)
or the path of a module that exports :data:`zmq.backend._contract.PUBLIC_API`. A backend
that fails to import raises ImportError (chained to the cause); there is no fallback.
``__impl__`` is the loaded backend's name.
"""

from __future__ import annotations

from zmq.backend._contract import PUBLIC_API
from zmq.backend.select import public_api as public_api  # pyzmq has it here too
from zmq.backend.select import requested_backend, select_backend

__impl__: str = requested_backend()
globals().update(select_backend(__impl__))


def _compiled_with_draft() -> bool:
    try:
        from zmq._build_info import BUILD_INFO
    except ImportError:
        return False
    return bool(BUILD_INFO.get("draft_api"))


#: whether the backends were compiled with libzmq's draft API (pyzmq's name)
PYZMQ_DRAFT_API: bool = _compiled_with_draft()

__all__ = [*PUBLIC_API, "PYZMQ_DRAFT_API"]
