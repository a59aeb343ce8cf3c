"""Choosing and loading a backend (see zmq.backend)."""

from __future__ import annotations

import importlib
import os
import platform
from types import ModuleType
from typing import Any

from zmq.backend._contract import PUBLIC_API

#: the names every backend exports, as a list (pyzmq's name for the contract)
public_api: list[str] = list(PUBLIC_API)

#: short names for the built-in backends
BACKENDS: dict[str, str] = {
    "cython": "zmq.backend.cython",
    "cffi": "zmq.backend.cffi",
}


def default_backend() -> str:
    """cffi on PyPy (Cython extensions are slow there), cython elsewhere."""
    return "cffi" if platform.python_implementation() == "PyPy" else "cython"


def requested_backend() -> str:
    """PYZMQ_BACKEND if set (and not empty), else the default."""
    return os.environ.get("PYZMQ_BACKEND", "").strip() or default_backend()


def load_backend(name: str) -> ModuleType:
    """Import the backend ``name`` (a short name or a module path). Any failure is an
    ImportError that names the backend, chained to the original error."""
    module_name = BACKENDS.get(name, name)
    try:
        module = importlib.import_module(module_name)
    except Exception as e:
        raise ImportError(
            f"zmq backend {name!r} ({module_name}) could not be imported: {e}. "
            f"Choose another with PYZMQ_BACKEND (built-in: {', '.join(BACKENDS)})."
        ) from e
    missing = [n for n in PUBLIC_API if not hasattr(module, n)]
    if missing:
        raise ImportError(f"zmq backend {name!r} ({module_name}) lacks {', '.join(missing)}")
    return module


def select_backend(name: str) -> dict[str, Any]:
    """The contract's names (zmq.backend._contract.PUBLIC_API) from backend ``name``."""
    module = load_backend(name)
    return {n: getattr(module, n) for n in PUBLIC_API}
