"""Zero-copy messages: libzmq shares a Python buffer's memory until it frees the message.

libzmq's free callback is C (``zc_free_fn`` of ``zmq/backend/_zerocopy.h``): it never
calls into Python, it queues the message's item. Each item carries a key; the Python
objects that must stay alive (the ``ffi.from_buffer`` view, which references the
exporter) wait in :data:`_alive` under that key until a drain removes them: the next
zero-copy call that sees released items, or one reaper thread that blocks in C (without
the GIL) until libzmq releases something. No object depends on being finalised
promptly, so this works the same on PyPy, whose garbage collector is not immediate.
"""

from __future__ import annotations

import gc
import itertools
import os
import platform
import threading
from typing import Any, Optional

from ._cffi_zmq import ffi, lib
from ._check_rc import _raise_last_error

__all__ = [
    "TrackerEvent",
    "init_zerocopy",
    "is_python_memory",
]

_alive: dict[int, tuple[Any, int]] = {}  # key -> (view, its address)
#: address -> how many live zero-copy messages share the Python memory there
_shared: dict[int, int] = {}
_keys = itertools.count(1)
#: Released keys handed over per C call while draining (the size of one shared array).
_BATCH = 256
_drain_out = ffi.new("unsigned long long[]", _BATCH)
_drain_lock = threading.Lock()
#: How long the reaper leaves released buffers to a busy sender's inline drain (ms), so
#: it wakes once per batch rather than per message; no measurable cost against 0 (CFFI
#: inproc 64 KiB zero-copy stream: 9.5 vs 8.6 cpu, 12-14 vs 14-16 wall us/msg, noisy).
_REAPER_DELAY_MS = 20
#: A tracker's wait returns to Python this often, so signal handlers run (ms): Ctrl-C
#: is served within 0.1 s for 10 wakeups a second.
_WAIT_STEP_MS = 100
_reaper: Optional[threading.Thread] = None
#: PyPy finalises unreachable objects (Frames holding a message) only when it collects.
_DEFERRED_FINALIZERS = platform.python_implementation() == "PyPy"


def _drain() -> None:
    """Release the Python objects of every message libzmq has freed."""
    with _drain_lock:  # one shared output array
        while True:
            n = lib.zpy_zc_drain(_drain_out, _BATCH)
            for i in range(n):
                entry = _alive.pop(_drain_out[i], None)
                if entry is not None:
                    ffi.release(entry[0])  # the export ends now, not when PyPy collects
                    address = entry[1]
                    left = _shared[address] - 1
                    if left:
                        _shared[address] = left
                    else:
                        del _shared[address]
            if n < _BATCH:
                return


def _reaper_loop() -> None:
    import time

    while True:
        lib.zpy_zc_wait(-1)
        time.sleep(_REAPER_DELAY_MS / 1000)
        _drain()


def _ensure_reaper() -> None:
    global _reaper
    if _reaper is None:
        _reaper = threading.Thread(target=_reaper_loop, name="zmq-cffi-zerocopy", daemon=True)
        _reaper.start()


def _after_fork_in_child() -> None:
    # The parent's in-flight messages are never released in the child.
    global _reaper
    lib.zpy_zc_after_fork()
    _alive.clear()
    _reaper = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
if lib.zpy_zc_init() != 0:
    raise ImportError("zmq: could not initialise the zero-copy release queue")


def init_zerocopy(msg: Any, view: Any, track: bool) -> Any:
    """Point ``msg`` at the memory of ``view`` (an ``ffi.from_buffer`` cdata, which
    references its exporter); returns the item (a ``zc_item *``). ``view`` stays alive
    until libzmq frees the message."""
    if lib.zpy_zc_pending():
        _drain()
    key = next(_keys)
    item = lib.zpy_msg_init_zerocopy(msg, view, len(view), track, key)
    if item == ffi.NULL:
        _raise_last_error()
    address = int(ffi.cast("uintptr_t", view))
    with _drain_lock:
        _alive[key] = (view, address)
        _shared[address] = _shared.get(address, 0) + 1
    if _reaper is None:
        _ensure_reaper()
    return item


def is_python_memory(address: int) -> bool:
    """Whether ``address`` is the start of a buffer shared by a zero-copy send."""
    return address in _shared


class TrackerEvent:
    """Completion of one zero-copy message, read like a ``threading.Event``.

    Set once libzmq has released the message's memory and the binding its buffer (the
    sent object is no longer exported); ``zmq.MessageTracker`` watches these. Holds a reference on the C item until it is collected.
    """

    __slots__ = ("_item",)

    def __init__(self, item: Any) -> None:
        self._item = ffi.gc(item, lib.zpy_zc_unref)

    def is_set(self) -> bool:
        return self._done()

    @property
    def done(self) -> bool:
        return self._done()

    def _done(self) -> bool:
        # done means the buffer is the caller's again: release it before saying so
        if lib.zpy_zc_done(self._item):
            _drain()
            return True
        return False

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Block until done or ``timeout`` seconds passed (None: forever); returns done.

        Waits in steps of _WAIT_STEP_MS without the GIL, so signal handlers (Ctrl-C)
        run. On PyPy the first steps run a collection: a Frame (or a view of it) that is garbage but
        not yet finalised still holds the message, and finalisers that keep objects
        alive for other finalisers take more than one collection.
        """
        import time

        collections = 3 if _DEFERRED_FINALIZERS else 0
        deadline = None if timeout is None else time.monotonic() + max(float(timeout), 0.0)
        while True:
            if collections and not lib.zpy_zc_done(self._item):
                collections -= 1
                gc.collect()
            step = _WAIT_STEP_MS
            if deadline is not None:
                step = max(0, min(step, int((deadline - time.monotonic()) * 1000)))
            if lib.zpy_zc_wait_item(self._item, step):
                return self._done()
            if deadline is not None and time.monotonic() >= deadline:
                return False
