"""add_reader/add_writer for event loops that lack them (Windows' ProactorEventLoop).

A daemon thread runs ``select()`` over the registered descriptors and hands each ready
one to the loop's thread with ``call_soon_threadsafe``. It then waits until the loop has
run those callbacks before selecting again: a ZMQ_FD stays readable until the callback
reads ZMQ_EVENTS, so selecting earlier would only report the same descriptor again.
The thread ends once its loop is closed.
"""

from __future__ import annotations

import asyncio
import select
import socket
import threading
import weakref
from typing import Any, Callable, Dict, List, Tuple

Callback = Callable[[], None]

#: How often the thread checks whether its loop was closed (s).
_CLOSED_CHECK_INTERVAL = 0.5


class SelectorThread:
    """The reader/writer registry of one event loop, served by one thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        # weak: the registry maps the loop to this object, which must not keep it alive
        self._loop_ref = weakref.ref(loop)
        self._lock = threading.Lock()
        self._readers: Dict[Any, Callback] = {}
        self._writers: Dict[Any, Callback] = {}
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self.thread = threading.Thread(target=self._run, name="zmq-asyncio-selector", daemon=True)
        self.thread.start()

    # -- called on the loop's thread

    def add_reader(self, fd: Any, callback: Callback) -> None:
        self._update(self._readers, fd, callback)

    def remove_reader(self, fd: Any) -> None:
        self._update(self._readers, fd, None)

    def add_writer(self, fd: Any, callback: Callback) -> None:
        self._update(self._writers, fd, callback)

    def remove_writer(self, fd: Any) -> None:
        self._update(self._writers, fd, None)

    def _update(self, table: Dict[Any, Callback], fd: Any, callback: Callback | None) -> None:
        with self._lock:
            if callback is None:
                table.pop(fd, None)
            else:
                table[fd] = callback
        self._wake()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except (BlockingIOError, OSError):
            pass  # already woken (buffer full) or shutting down

    def _dispatch(
        self, ready: List[Tuple[Dict[Any, Callback], Any]], done: threading.Event
    ) -> None:
        try:
            for table, fd in ready:
                with self._lock:
                    callback = table.get(fd)  # unregistered meanwhile: skip it
                if callback is not None:
                    callback()
        finally:
            done.set()

    # -- the selector thread

    def _loop_alive(self) -> bool:
        loop = self._loop_ref()
        return loop is not None and not loop.is_closed()

    def _run(self) -> None:
        try:
            while self._loop_alive():
                with self._lock:
                    readers, writers = list(self._readers), list(self._writers)
                try:
                    r, w, _ = select.select(
                        [self._wake_r, *readers], writers, [], _CLOSED_CHECK_INTERVAL
                    )
                except (OSError, ValueError):
                    # a descriptor was closed under us: its owner unregisters it next
                    self._wait_for_change()
                    continue
                if self._wake_r in r:
                    self._drain()
                ready = [(self._readers, fd) for fd in r if fd is not self._wake_r]
                ready += [(self._writers, fd) for fd in w]
                if ready and not self._hand_over(ready):
                    return
        finally:
            self._wake_r.close()
            self._wake_w.close()

    def _hand_over(self, ready: List[Tuple[Dict[Any, Callback], Any]]) -> bool:
        """Run the callbacks on the loop's thread and wait for them; False once the loop
        is gone."""
        done = threading.Event()
        loop = self._loop_ref()
        if loop is None:
            return False
        try:
            loop.call_soon_threadsafe(self._dispatch, ready, done)
        except RuntimeError:  # the loop is closed
            return False
        del loop
        while not done.wait(_CLOSED_CHECK_INTERVAL):
            if not self._loop_alive():
                return False
        return True

    def _wait_for_change(self) -> None:
        select.select([self._wake_r], [], [], _CLOSED_CHECK_INTERVAL)
        self._drain()

    def _drain(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass


_threads: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SelectorThread] = (
    weakref.WeakKeyDictionary()
)
_threads_lock = threading.Lock()


def for_loop(loop: asyncio.AbstractEventLoop, create: bool = True) -> SelectorThread | None:
    """The selector thread serving ``loop`` (started on first use if ``create``)."""
    with _threads_lock:
        thread = _threads.get(loop)
        if thread is None and create:
            thread = _threads[loop] = SelectorThread(loop)
        return thread
