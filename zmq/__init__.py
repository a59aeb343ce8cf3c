"""Python bindings for ZeroMQ, compatible with pyzmq's ``zmq`` package.

Layers: :mod:`zmq.backend` talks to libzmq (Cython or CFFI), :mod:`zmq.sugar` adds the
Python conveniences; both are re-exported here with every constant.
"""

from __future__ import annotations

import os
from typing import List

from zmq import backend, constants, sugar
from zmq import error as error  # submodules that are part of the public namespace
from zmq import utils as utils
from zmq.backend import (
    IPC_PATH_MAX_LEN,
    PYZMQ_DRAFT_API,
    curve_keypair,
    curve_public,
    has,
    strerror,
    zmq_errno,
)
from zmq.constants import *  # noqa: F403
from zmq.error import *  # noqa: F403
from zmq.sugar import *  # noqa: F403

#: messages at least this large are sent without copying when ``copy=False``
COPY_THRESHOLD = 65536


#: draft sockets/options are usable only if libzmq has them and the backend was
#: compiled with them
DRAFT_API = PYZMQ_DRAFT_API and backend.has("draft")


def _bundled_dirs(key: str) -> List[str]:
    """``BUILD_INFO[key]`` (a list of directories) if libzmq was bundled into this build."""
    try:
        from zmq._build_info import BUILD_INFO
    except ImportError:
        return []
    if BUILD_INFO.get("kind") != "bundled":
        return []
    return [path for path in BUILD_INFO.get(key) or () if os.path.isdir(path)]


def get_includes() -> List[str]:
    """Include directories for building C/Cython extensions against this package:
    the directory containing ``zmq`` (for ``cimport zmq.backend.cython...``), our
    header directories, and the bundled libzmq headers when libzmq was bundled."""
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = [os.path.dirname(here)]
    for sub in ("utils", "backend", os.path.join("backend", "cython")):
        path = os.path.join(here, sub)
        if os.path.isdir(path):
            dirs.append(path)
    return dirs + _bundled_dirs("include_dirs")


def get_library_dirs() -> List[str]:
    """Library directories for linking against the libzmq this package uses."""
    return [os.path.dirname(os.path.abspath(__file__))] + _bundled_dirs("library_dirs")


__all__ = [
    "COPY_THRESHOLD",
    "DRAFT_API",
    "get_includes",
    "get_library_dirs",
    "IPC_PATH_MAX_LEN",
    "PYZMQ_DRAFT_API",
    "curve_keypair",
    "curve_public",
    "has",
    "strerror",
    "zmq_errno",
]
__all__ += constants.__all__
__all__ += sugar.__all__
