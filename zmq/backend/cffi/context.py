"""The backend Context: one libzmq context (``void *``)."""

from __future__ import annotations

import errno
import gc
import os
import sys

from ._cffi_zmq import ffi, lib
from ._check_rc import EINTR, _not_picklable, _raise_errno, _raise_last_error
from .zerocopy import _DEFERRED_FINALIZERS

__all__ = ["Context"]


class Context:
    """Context(io_threads=1, shadow=0)

    ``shadow`` is the int address of a context owned elsewhere: this object uses it but
    never terminates it (:meth:`term` only marks the shadow closed).
    """

    __slots__ = (
        "_handle",
        "_is_shadow",
        "_owner_pid",
        "_closed",
        "_n_sockets",
        "_shut_down",
        "__weakref__",
    )

    def __init__(self, io_threads: int = 1, shadow: int = 0) -> None:
        self._handle = ffi.NULL
        self._closed = True
        self._n_sockets = 0  # sockets made through this object and still open
        self._shut_down = False  # _shutdown() was called: blocking calls end with ETERM
        self._owner_pid = os.getpid()
        self._is_shadow = bool(shadow)
        if shadow:
            self._handle = ffi.cast("void *", int(shadow))
        else:
            if not isinstance(io_threads, int):
                raise TypeError(f"io_threads must be an int, got {io_threads!r}")
            if io_threads < 0:  # what libzmq's zmq_ctx_set says, before making a context
                _raise_errno(errno.EINVAL)
            handle = lib.zmq_ctx_new()
            if handle == ffi.NULL:
                _raise_last_error()
            self._handle = handle
            if io_threads != 1 and lib.zmq_ctx_set(handle, lib.ZMQ_IO_THREADS, io_threads) != 0:
                err = ffi.errno
                lib.zmq_ctx_destroy(handle)
                self._handle = ffi.NULL
                _raise_errno(err)
        self._closed = False

    def __del__(self) -> None:
        # Terminating blocks while sockets are open; never at interpreter exit, in a
        # forked child (the parent owns the context), or with sockets still open.
        if (
            not self._closed
            and not self._is_shadow
            and self._n_sockets == 0
            and self._owner_pid == os.getpid()
            and not sys.is_finalizing()
        ):
            self._closed = True
            lib.zmq_ctx_destroy(self._handle)

    __reduce__ = _not_picklable

    @property
    def underlying(self) -> int:
        """The address of the libzmq context, for shadowing (``Context(shadow=...)``)."""
        return int(ffi.cast("uintptr_t", self._handle))

    @property
    def closed(self) -> bool:
        return self._closed

    def term(self) -> None:
        """Terminate the context: blocks until every socket is closed (see LINGER).

        Interrupted by a signal, it runs the Python handlers and continues. A shadow, or
        the parent's context in a forked child, is only marked closed. On PyPy, sockets
        that are garbage but not yet finalised are collected (hence closed) first, so
        term never waits for a collection that cannot happen while it blocks.
        """
        if self._closed:
            return
        if not self._is_shadow and self._owner_pid == os.getpid():
            if self._n_sockets and _DEFERRED_FINALIZERS:
                gc.collect()
            while lib.zmq_ctx_destroy(self._handle) != 0:
                err = ffi.errno
                if err != EINTR:
                    _raise_errno(err)
        self._closed = True
        self._handle = ffi.NULL

    def _shutdown(self) -> None:
        """Make every blocking call on this context's sockets return ContextTerminated
        (zmq_ctx_shutdown), now and from then on; sockets can still be closed, then
        term() ends it. Closing a socket afterwards waits for the threads that are
        still leaving their calls on it."""
        if self._closed or self._is_shadow or self._owner_pid != os.getpid():
            return
        self._shut_down = True
        if lib.zmq_ctx_shutdown(self._handle) != 0:
            _raise_last_error()

    def set(self, option: int, optval: int) -> None:
        """Set a context option (``zmq.IO_THREADS``, ``zmq.MAX_SOCKETS``, ...)."""
        if not isinstance(optval, int):
            raise TypeError(f"expected int, got {optval!r}")
        self._check_open()
        if lib.zmq_ctx_set(self._handle, option, optval) != 0:
            _raise_last_error()

    def get(self, option: int) -> int:
        """Get a context option."""
        self._check_open()
        ffi.errno = 0  # -1 is a legitimate value of some options
        value = lib.zmq_ctx_get(self._handle, option)
        if value == -1 and ffi.errno != 0:
            _raise_last_error()
        return int(value)

    def _check_open(self) -> None:
        if self._closed:
            from zmq.error import ZMQError

            raise ZMQError(lib.EFAULT, "Context has been terminated")
