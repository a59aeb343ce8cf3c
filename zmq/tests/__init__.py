"""unittest helpers for code that tests with zmq sockets (deprecated, as in pyzmq 25+).

Kept so that test suites written against pyzmq's ``zmq.tests`` still import and run:
``BaseZMQTestCase`` gives each test a context and closes the sockets it made,
``GreenTest`` is the mixin that runs such a class on ``zmq.green``. New code should
create and close its own contexts and sockets (pytest fixtures do this well).
Importing the module warns with DeprecationWarning. It needs pytest (for the markers).
"""

from __future__ import annotations

import platform
import threading
import warnings
from typing import Any, Callable, List, Optional, Tuple
from unittest import SkipTest, TestCase

from pytest import mark

import zmq

warnings.warn(
    "zmq.tests is deprecated: create and close your own contexts and sockets in tests",
    DeprecationWarning,
    stacklevel=2,
)

try:
    import gevent

    from zmq import green as gzmq

    have_gevent = True
except ImportError:
    have_gevent = False

PYPY = platform.python_implementation() == "PyPy"

skip_pypy = mark.skipif(PYPY, reason="does not work on PyPy")
require_zmq_4 = mark.skipif(zmq.zmq_version_info() < (4,), reason="needs libzmq >= 4")


def term_context(ctx: zmq.Context, timeout: float) -> None:
    """Terminate ``ctx`` in a daemon thread; RuntimeError if that takes over ``timeout``
    seconds (a socket was left open). ``Context.instance()`` is then reset so that later
    tests get a fresh context."""
    terminator = threading.Thread(target=ctx.term, daemon=True)
    terminator.start()
    terminator.join(timeout)
    if terminator.is_alive():
        zmq.Context._instance = None
        raise RuntimeError(f"the context did not terminate in {timeout} s: a socket is open")


def _errno_message(expected: int, got: Optional[int]) -> str:
    return f"expected ZMQError {zmq.ZMQError(expected)!r}, got {zmq.ZMQError(got)!r}"


class BaseZMQTestCase(TestCase):
    """A TestCase whose tests use ``self.context`` (``Context.instance()``) and
    ``self.socket(type)``; tearDown closes those sockets (linger 0) and terminates the
    contexts, failing if that takes longer than ``teardown_timeout`` seconds."""

    green = False
    teardown_timeout = 10
    #: kept for compatibility; tests are not interrupted after it
    test_timeout_seconds = 60
    sockets: List[zmq.Socket]

    @property
    def Context(self) -> Any:
        """The Context class the tests use (zmq.green's for green tests)."""
        return gzmq.Context if self.green else zmq.Context

    def socket(self, socket_type: int) -> zmq.Socket:
        """A socket of ``self.context``, closed by tearDown."""
        sock = self.context.socket(socket_type)
        self.sockets.append(sock)
        return sock

    def setUp(self) -> None:
        super().setUp()
        if self.green and not have_gevent:
            raise SkipTest("green tests need gevent")
        self.context = self.Context.instance()
        self.sockets = []

    def _open_contexts(self, linger: Any) -> set:
        contexts = {self.context}
        for sock in reversed(self.sockets):
            contexts.add(sock.context)  # a test may have made sockets of other contexts
            sock.close(linger)
        self.sockets.clear()
        return contexts

    def tearDown(self) -> None:
        for ctx in self._open_contexts(0):
            term_context(ctx, self.teardown_timeout)
        super().tearDown()

    def create_bound_pair(
        self,
        type1: int = zmq.PAIR,
        type2: int = zmq.PAIR,
        interface: str = "tcp://127.0.0.1",
    ) -> Tuple[zmq.Socket, zmq.Socket]:
        """Two connected sockets: the first bound to a random port of ``interface``."""
        first = self.socket(type1)
        first.linger = 0
        port = first.bind_to_random_port(interface)
        second = self.socket(type2)
        second.linger = 0
        second.connect(f"{interface}:{port}")
        return first, second

    def _round_trip(self, send: str, recv: str, s1: zmq.Socket, s2: zmq.Socket, obj: Any) -> Any:
        getattr(s1, send)(obj)
        echoed = getattr(s2, recv)()
        getattr(s2, send)(echoed)
        return getattr(s1, recv)()

    def ping_pong(self, s1: zmq.Socket, s2: zmq.Socket, msg: Any) -> Any:
        """Send ``msg`` from s1 to s2 and back; what s1 received."""
        return self._round_trip("send", "recv", s1, s2, msg)

    def ping_pong_json(self, s1: zmq.Socket, s2: zmq.Socket, o: Any) -> Any:
        """:meth:`ping_pong` with send_json/recv_json."""
        return self._round_trip("send_json", "recv_json", s1, s2, o)

    def ping_pong_pyobj(self, s1: zmq.Socket, s2: zmq.Socket, o: Any) -> Any:
        """:meth:`ping_pong` with send_pyobj/recv_pyobj."""
        return self._round_trip("send_pyobj", "recv_pyobj", s1, s2, o)

    def assertRaisesErrno(
        self, errno: int, func: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> None:
        """Assert that ``func(*args, **kwargs)`` raises ZMQError with ``errno``."""
        try:
            func(*args, **kwargs)
        except zmq.ZMQError as e:
            self.assertEqual(e.errno, errno, _errno_message(errno, e.errno))
        else:
            self.fail(f"{func!r} raised no ZMQError")

    def _recv_ready(self, multipart: bool, socket: zmq.Socket, **kwargs: Any) -> Any:
        timeout = kwargs.pop("timeout", 5)
        ready, _, _ = zmq.select([socket], [], [], timeout=timeout)
        assert ready, f"nothing to receive within {timeout} s"
        kwargs["flags"] = zmq.DONTWAIT | kwargs.get("flags", 0)
        return (socket.recv_multipart if multipart else socket.recv)(**kwargs)

    def recv(self, socket: zmq.Socket, **kwargs: Any) -> Any:
        """``socket.recv(**kwargs)``, failing if nothing arrives within ``timeout``
        (a keyword argument, seconds, default 5) instead of blocking."""
        return self._recv_ready(False, socket, **kwargs)

    def recv_multipart(self, socket: zmq.Socket, **kwargs: Any) -> Any:
        """:meth:`recv` for ``recv_multipart``."""
        return self._recv_ready(True, socket, **kwargs)


class PollZMQTestCase(BaseZMQTestCase):
    """A BaseZMQTestCase for tests of polling (kept for compatibility)."""


class GreenTest:
    """Mixin that runs a BaseZMQTestCase subclass on zmq.green (put it first among
    the bases). Tests that expect EAGAIN are skipped: green sockets wait instead."""

    green = True
    teardown_timeout = 10

    def assertRaisesErrno(
        self, errno: int, func: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> None:
        if errno == zmq.EAGAIN:
            raise SkipTest("green sockets wait instead of raising EAGAIN")
        BaseZMQTestCase.assertRaisesErrno(self, errno, func, *args, **kwargs)  # type: ignore[arg-type]

    def tearDown(self) -> None:
        contexts = BaseZMQTestCase._open_contexts(self, None)  # type: ignore[arg-type]
        try:
            gevent.joinall(
                [gevent.spawn(ctx.term) for ctx in contexts],
                timeout=self.teardown_timeout,
                raise_error=True,
            )
        except gevent.Timeout:
            raise RuntimeError("the context did not terminate: a socket is open") from None
        if not all(ctx.closed for ctx in contexts):
            raise RuntimeError("the context did not terminate: a socket is open")

    def skip_green(self) -> None:
        raise SkipTest("not for green sockets")


def skip_green(f: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a test method to skip it in green test classes."""

    def unless_green(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.green:
            raise SkipTest("not for green sockets")
        return f(self, *args, **kwargs)

    return unless_green
