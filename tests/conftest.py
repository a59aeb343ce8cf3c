"""Shared fixtures: real contexts and sockets that are always cleaned up without hanging.

``Context`` is a fixture so that a test module can override it (e.g. with an async or
green Context class) and reuse the tests written against ``context``/``socket``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from typing import Any, Callable

import pytest

try:
    import zmq
except ImportError as e:  # a half-built tree: report it, and let each test error out
    zmq = None  # type: ignore[assignment]
    _IMPORT_ERROR: BaseException | None = e
else:
    _IMPORT_ERROR = None

TRANSPORTS = ("inproc", "ipc", "tcp")
TERM_TIMEOUT = 10.0


def pytest_report_header(config: pytest.Config) -> str:
    if zmq is None:
        return f"zmq: NOT IMPORTABLE ({_IMPORT_ERROR!r})"
    return (
        f"zmq: backend {zmq.backend.__impl__}, libzmq {zmq.zmq_version()}, "
        f"pyzmq API {zmq.pyzmq_version()}"
    )


def shutdown(ctx: Any) -> None:
    """Close the context's sockets with linger 0, then term it; fail if term hangs."""
    for s in list(getattr(ctx, "_sockets", ())):
        if not s.closed:
            s.close(linger=0)
    errors: list[BaseException] = []

    def term() -> None:
        try:
            ctx.term()
        except BaseException as e:
            errors.append(e)

    thread = threading.Thread(target=term, name="test-context-term", daemon=True)
    thread.start()
    thread.join(TERM_TIMEOUT)
    if thread.is_alive():
        pytest.fail(f"context.term() still blocked {TERM_TIMEOUT} s after closing its sockets")
    if errors:
        raise errors[0]


def collect_garbage() -> None:
    """Run the garbage collector until finalizers have run: PyPy finalizes an object
    that another finalizable object references only in a later collection."""
    for _ in range(3):
        gc.collect()


@pytest.fixture(scope="session", autouse=True)
def main_thread_event_loop() -> Iterator[None]:
    """pytest-asyncio asks for the main thread's current loop around every async test; on
    Python < 3.12 that call creates one when none is set, and nobody closes it (PyPy then
    reports the unclosed loop in some later test). Set one for the session and close it."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture
def gc_collect() -> Callable[[], None]:
    return collect_garbage


@pytest.fixture
def Context() -> type:
    if zmq is None:
        raise ImportError("zmq is not importable") from _IMPORT_ERROR
    return zmq.Context


@pytest.fixture
def context(Context: type) -> Iterator[Any]:
    ctx = Context()
    # keep every socket of this context alive until teardown closes it (the context
    # itself only holds weak references), so tests need not close what they open
    kept: list[Any] = []
    track = ctx._add_socket

    def add_and_keep(sock: Any) -> None:
        track(sock)
        kept.append(sock)

    ctx._add_socket = add_and_keep
    yield ctx
    shutdown(ctx)


@pytest.fixture
def socket(context: Any) -> Callable[..., Any]:
    """Factory: ``socket(zmq.PUSH)`` makes a socket closed (linger 0) at teardown."""
    return context.socket


@pytest.fixture
def ipc_dir() -> Iterator[str]:
    # not tmp_path: ipc paths are limited to ~107 bytes, pytest's paths can be longer
    path = tempfile.mkdtemp(prefix="zmqt")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def endpoint(ipc_dir: str) -> Callable[[str], str]:
    """Factory: a fresh bind address for a transport ("inproc", "ipc" or "tcp")."""

    def make(transport: str) -> str:
        if transport == "inproc":
            return f"inproc://t-{uuid.uuid4().hex}"
        if transport == "ipc":
            return f"ipc://{os.path.join(ipc_dir, uuid.uuid4().hex[:8])}"
        if transport == "tcp":
            return "tcp://127.0.0.1:*"
        raise ValueError(transport)

    return make


@pytest.fixture
def bound_pair(socket: Callable[..., Any], endpoint: Callable[[str], str]) -> Callable[..., Any]:
    """Factory: ``bound_pair(zmq.PUSH, zmq.PULL, "tcp")`` -> (bound, connected) sockets."""

    def make(type1: int, type2: int, transport: str = "tcp") -> tuple[Any, Any]:
        first, second = socket(type1), socket(type2)
        for s in (first, second):
            s.linger = 0
            s.rcvtimeo = s.sndtimeo = 10_000  # a lost message fails the test, never hangs it
        first.bind(endpoint(transport))
        second.connect(first.last_endpoint.decode())
        return first, second

    return make


@pytest.fixture
def push_pull(bound_pair: Callable[..., Any]) -> tuple[Any, Any]:
    """A connected (push, pull) pair over tcp."""
    return bound_pair(zmq.PUSH, zmq.PULL)
