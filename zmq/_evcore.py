"""The edge-triggered readiness logic of one zmq socket, independent of any event loop.

libzmq's ZMQ_FD is edge-triggered: it becomes readable when the socket's state *may* have
changed, and reading ZMQ_EVENTS both re-arms it and says what is possible now. An edge is
lost unless EVENTS is read again after the last operation, before the loop waits on the
FD again. The :class:`EdgeCore` of a socket keeps the queued sends and receives (FIFO), a
standing consumer (every message, for callback APIs) and the watchers, and on every
wakeup serves them, each attempt non-blocking, until EVENTS shows nothing more to do or
a batch is used up: then it yields to the loop (asks to be run again soon), so a
flooding socket cannot starve the others on the same loop.

Reading EVENTS costs libzmq a system call, several times a receive's cost: while
operations keep succeeding, runs of them (1, 2, 4, ... long) go between two reads of
EVENTS, so a single message costs no more reads than before and a flood few.

Adapters (zmq._future for asyncio and tornado futures, ZMQStream) supply four callables:
read EVENTS, "schedule me soon", "nothing waits any more" and "is the socket closed";
they own the loop's "watch this fd", futures and timers. Futures are duck-typed
(``done``, ``set_result``, ``set_exception``, ``cancel``).
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Deque, List, Optional

from zmq.constants import POLLIN, POLLOUT
from zmq.error import Again, ZMQError

__all__ = ["BATCH", "Consumer", "EdgeCore", "Request", "Watcher"]

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


class Consumer:
    """A standing receive: takes every message while it is the core's ``consumer``."""

    __slots__ = ("attempt", "deliver", "failed")

    def __init__(
        self,
        attempt: Callable[[], Any],
        deliver: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ) -> None:
        self.attempt = attempt  # receives with DONTWAIT: raises Again if nothing is there
        self.deliver = deliver  # given each message; what it raises goes to the caller
        # given what ``attempt`` raised (not Again); receiving then stops until a new edge
        self.failed = failed


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
    """Queued requests, consumer and watchers of one socket, served on its ZMQ_FD's edges."""

    __slots__ = (
        "_closed",
        "_events",
        "_idle",
        "_schedule",
        "batch",
        "consumer",
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
        # served after the queued receives; the adapter sets and clears it
        self.consumer: Optional[Consumer] = None
        self.watchers: List[Watcher] = []
        self.scheduled = False

    def has_waiters(self) -> bool:
        return bool(
            self.recv_queue or self.send_queue or self.watchers or self.consumer is not None
        )

    def kick(self) -> None:
        """An operation outside the core may have consumed an FD edge: serve the waiters
        soon, since no wakeup may follow."""
        if not self.scheduled and self.has_waiters():
            self.schedule()

    def schedule(self) -> None:
        if not self.scheduled:
            # set first: another thread (ZMQStream's sends may come from one) can run
            # the scheduled call before _schedule returns
            self.scheduled = True
            if not self._schedule():
                self.scheduled = False

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
        is closed) or failed with ``exc``. The consumer is removed."""
        requests = (*self.recv_queue, *self.send_queue)
        self.recv_queue.clear()
        self.send_queue.clear()
        self.consumer = None
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
        """The FD's handler: serve what waits, at most ``batch`` operations; then yield to
        the loop if more may be possible.

        Reads EVENTS even when nobody waits: that re-arms the FD, which a loop that keeps
        the FD registered meanwhile would otherwise report over and over. If a completion
        raises (a callback of the consumer), what is left is served on the next turn,
        since no new edge may come for it, and the exception goes on to the loop.
        """
        try:
            served = self.drain(_POLLIN | _POLLOUT, self.batch)
        except BaseException:
            self.schedule()
            raise
        if not self.has_waiters():
            self._idle()
        elif served >= self.batch:
            self.schedule()  # the rest after the loop's other callbacks and fds

    def drain(self, flags: int = _POLLIN | _POLLOUT, limit: int = 0) -> int:
        """Receive (``POLLIN`` in ``flags``) and send (``POLLOUT``) for the waiters until
        EVENTS shows no more progress possible, or ``limit`` operations (0: no limit).
        Returns the number of operations completed. EVENTS is read after the last one (it
        re-arms the FD); if it stops at ``limit``, the caller schedules a run: what is
        left raises no new edge.
        """
        served = 0
        run = 1  # operations tried before EVENTS is read again; doubles while they succeed
        while not self._closed():
            try:
                events = self._events()
            except ZMQError as e:
                # e.g. ContextTerminated: what waits fails with it, as a blocking call would
                # (and can then close the socket, which the context's term() waits for)
                self.end(e)
                break
            if self.watchers:
                for watcher in list(self.watchers):
                    if events & watcher.flags:
                        watcher.ready(events & watcher.flags)
            quota = run
            if limit and limit - served < quota:
                quota = limit - served
                if quota <= 0:
                    break
            done = 0
            if events & flags & _POLLIN:
                done = self._receive(quota)
            if done < quota and events & flags & _POLLOUT and self.send_queue:
                done += self._serve(self.send_queue, quota - done)
            if not done:
                break
            served += done
            if run < self.batch:
                run *= 2
        return served

    def _receive(self, quota: int) -> int:
        """Up to ``quota`` receives: the queued requests first, then the consumer."""
        done = 0
        if self.recv_queue:
            done = self._serve(self.recv_queue, quota)
            if done == quota or self.recv_queue:
                return done
        while done < quota:
            consumer = self.consumer
            if consumer is None:
                break
            try:
                message = consumer.attempt()
            except Again:
                break
            except Exception as e:
                consumer.failed(e)
                break
            done += 1
            consumer.deliver(message)
        return done

    def _serve(self, queue: Deque[Request], quota: int) -> int:
        """Try the oldest live requests of ``queue``, up to ``quota`` of them; returns how
        many completed (stops at the first that cannot)."""
        done = 0
        while queue and done < quota:
            request = queue[0]
            if not request.wanted():  # cancelled or timed out: never try it
                queue.popleft()
                request.finish()
                cancel(request.future)
                continue
            try:
                result = request.attempt()
            except Again:
                break
            except Exception as e:
                queue.popleft()
                request.finish()
                request.future.set_exception(e)
            else:
                queue.popleft()
                request.finish()
                request.future.set_result(result)
            done += 1
        return done
