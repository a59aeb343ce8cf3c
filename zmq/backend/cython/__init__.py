"""The Cython backend (CPython's default): one compiled extension, ``_zmq``."""

from __future__ import annotations

import importlib

from zmq.backend._contract import PUBLIC_API

try:
    _zmq = importlib.import_module("zmq.backend.cython._zmq")
except ImportError as e:
    raise ImportError(
        "the zmq Cython backend is not compiled (zmq.backend.cython._zmq is missing or "
        "failed to load): build it with `python setup.py build_ext --inplace` in a source "
        "checkout, or `pip install .`; or choose PYZMQ_BACKEND=cffi"
    ) from e

for _name in (*PUBLIC_API, "PYZMQ_DRAFT_API"):
    globals()[_name] = getattr(_zmq, _name)
del _name

__all__ = [*PUBLIC_API, "PYZMQ_DRAFT_API"]
