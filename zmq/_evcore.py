"""The edge-triggered readiness logic of one zmq socket, independent of any event loop.

libzmq's ZMQ_FD is edge-triggered: it becomes readable when the socket's state *may* have
changed, and reading ZMQ_EVENTS both re-arms it and says what is possible now. An edge is
lost unless EVENTS is read again after every operation that may have consumed it. The
:class:`EdgeCore` of a socket keeps the queued sends and receives (FIFO) and the watchers,
and on every wakeup re-reads EVENTS and serves them, each attempt non-blocking, until no
more progress is made or a batch is used up: then it yields to the loop (asks to be run
again soon), so a flooding socket cannot starve the others on the same loop.

Adapters (zmq._future for asyncio and tornado futures) supply four callables: read EVENTS,
"schedule me soon", "nothing waits any more" and "is the socket closed"; they own the
loop's "watch this fd", futures and timers. Futures are duck-typed (``done``,
``set_result``, ``set_exception``, ``cancel``).
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Deque, List, Optional

from zmq.constants import POLLIN, POLLOUT
from zmq.error import Again, ZMQError

__all__ = ["BATCH", "EdgeCore", "Request", "Watcher"]

# plain ints: an enum operation costs microseconds
_POLLIN = int(POLLIN)
_POLLOUT = int(POLLOUT)

#: operations served per wakeup before the core yields to the loop
BATCH = 64


class Watcher:
    """Someone interested in a socket's events (``Socket.poll`` or an async Poller)."""

    __slots__ = ("ended", "flags", "loop", "ready")

    def __init__(
        self,
        loop: Any,
        flags: int,
        ready: Callable[[int], None],
        ended: Callable[[Optional[BaseException]], None],
    ) -> None:
        self.loop = loop
        self.flags = flags
        self.ready = ready  # called with the events that occurred
        # called when the socket can no longer be waited on: with None once it is closed,
        # or with the error that ended it (e.g. ContextTerminated)
        self.ended = ended


class Request:
    """One queued send or receive: the future, how to try it, and its timeout timer."""

    __slots__ = ("attempt", "future", "outer", "timer")

    def __init__(self, future: Any, attempt: Callable[[], Any]) -> None:
        self.future = future
        self.attempt = attempt  # the operation with DONTWAIT: raises Again if not possible
        self.timer: Any = None  # has cancel()
        self.outer: Any = None  # a future chained onto ours (recv_json...), if any

    def wanted(self) -> bool:
        # future callbacks run later: a cancelled outer future has not cancelled ours yet
        return not self.future.done() and not (self.outer is not None and self.outer.done())

    def finish(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def cancel(future: Any) -> None:
    """Cancel ``future`` if pending, unless its loop has closed (nothing can await it,
    and its callbacks could not be scheduled)."""
    get_loop = getattr(future, "get_loop", None)
    if not future.done() and not (get_loop is not None and get_loop().is_closed()):
        future.cancel()


def fail(future: Any, exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)


class EdgeCore:
    """Queued requests and watchers of one socket, served on the edges of its ZMQ_FD."""

    __slots__ = (
        "_closed",
        "_events",
        "_idle",
        "_schedule",
        "batch",
        "recv_queue",
        "scheduled",
        "send_queue",
        "watchers",
    )

    def __init__(
        self,
        events: Callable[[], int],
        schedule: Callable[[], bool],
        idle: Callable[[], None],
        closed: Callable[[], bool],
        batch: int = BATCH,
    ) -> None:
        self._events = events  # reads ZMQ_EVENTS (may raise ZMQError)
        self._schedule = schedule  # arrange one run() soon; False if there is no loop
        self._idle = idle  # nothing waits any more
        self._closed = closed
        self.batch = batch
        self.recv_queue: Deque[Request] = deque()
        self.send_queue: Deque[Request] = deque()
        self.watchers: List[Watcher] = []
        self.scheduled = False

    def has_waiters(self) -> bool:
        return bool(self.recv_queue or self.send_queue or self.watchers)

    def kick(self) -> None:
        """An operation outside the core may have consumed an FD edge: serve the waiters
        soon, since no wakeup may follow."""
        if not self.scheduled and (self.recv_queue or self.send_queue or self.watchers):
            self.scheduled = self._schedule()

    def schedule(self) -> None:
        if not self.scheduled:
            self.scheduled = self._schedule()

    def run(self) -> None:
        """The scheduled call (see ``schedule``)."""
        self.scheduled = False
        self.process()

    def add_watcher(self, watcher: Watcher) -> Callable[[], None]:
        """Call ``watcher.ready`` whenever EVENTS shows its flags, until the returned
        function removes it."""
        self.watchers.append(watcher)

        def remove() -> None:
            try:
                self.watchers.remove(watcher)
            except ValueError:
                pass
            if not self.has_waiters():
                self._idle()

        self.schedule()
        return remove

    def forget(self, queue: Deque[Request], request: Request) -> None:
        """A request's future is done (served, timed out or cancelled): drop it."""
        request.finish()
        try:
            queue.remove(request)
        except ValueError:
            pass  # already taken off the queue when it was served
        if not self.has_waiters():
            self._idle()

    def end(self, exc: Optional[BaseException]) -> None:
        """Every waiting request and watcher is done: cancelled (``exc`` None: the socket
        is closed) or failed with ``exc``."""
        requests = (*self.recv_queue, *self.send_queue)
        self.recv_queue.clear()
        self.send_queue.clear()
        watchers, self.watchers = self.watchers, []
        for request in requests:
            request.finish()
            if exc is None:
                cancel(request.future)
            else:
                fail(request.future, exc)
        for watcher in watchers:
            watcher.ended(exc)

    def drop(self, gone: Callable[[Any], bool]) -> None:
        """Forget the requests whose future, and the watchers whose loop, ``gone``
        reports (a loop that has closed: they can never complete)."""
        for queue in (self.recv_queue, self.send_queue):
            for request in [r for r in queue if gone(r.future)]:
                request.finish()
                queue.remove(request)
        self.watchers[:] = [w for w in self.watchers if not gone(w)]

    def process(self) -> None:
        """Serve waiting requests while EVENTS says they can make progress, at most
        ``batch`` of them; then yield to the loop if more may be possible.

        Reads EVENTS even when nobody waits: that re-arms the FD, which a loop that keeps
        the FD registered meanwhile would otherwise report over and over.
        """
        budget = self.batch
        while not self._closed():
            try:
                events = self._events()
            except ZMQError as e:
                # e.g. ContextTerminated: what waits fails with it, as a blocking call would
                # (and can then close the socket, which the context's term() waits for)
                self.end(e)
                break
            if not (self.recv_queue or self.send_queue or self.watchers):
                break
            if budget <= 0:
                self.schedule()  # the rest after the loop's other callbacks and fds
                return
            progress = False
            for watcher in list(self.watchers):
                if events & watcher.flags:
                    watcher.ready(events & watcher.flags)
            if events & _POLLIN and self.recv_queue and self._serve(self.recv_queue):
                progress = True
                budget -= 1
            if events & _POLLOUT and self.send_queue and self._serve(self.send_queue):
                progress = True
                budget -= 1
            if not progress:
                break
        if not self.has_waiters():
            self._idle()

    def _serve(self, queue: Deque[Request]) -> bool:
        """Try the oldest live request of ``queue``; True if it completed."""
        while queue:
            request = queue[0]
            if not request.wanted():  # cancelled or timed out: never try it
                queue.popleft()
                request.finish()
                cancel(request.future)
                continue
            try:
                result = request.attempt()
            except Again:
                return False
            except Exception as e:
                queue.popleft()
                request.finish()
                request.future.set_exception(e)
                return True
            queue.popleft()
            request.finish()
            request.future.set_result(result)
            return True
        return False
