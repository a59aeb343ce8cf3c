"""Sockets that are dropped without close(): terminating never waits for the collector.

On CPython a dropped socket is closed at once (reference counting). On PyPy it stays
open until a collection runs, which cannot happen while ``term()`` blocks: the CFFI
backend collects first when sockets of the context are still open, and the sugar's
``destroy()`` closes every socket it made, reachable or not. (A socket closed with its
default LINGER of -1 and an undeliverable message blocks ``term()`` forever on every
interpreter: that is libzmq's contract, not a collector problem.)
"""

from __future__ import annotations

import threading
import warnings
from typing import Callable

import zmq
from zmq import backend
from zmq.constants import SocketOption, SocketType

DEADLINE = 10.0


def finishes(action: Callable[[], None]) -> bool:
    """Whether ``action`` returns within DEADLINE seconds (run in a daemon thread)."""
    done = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as e:  # reported by the caller's assert
            errors.append(e)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    finished = done.wait(DEADLINE)
    assert not errors, errors
    return finished


def test_term_after_dropping_an_unclosed_socket() -> None:
    ctx = backend.Context()
    sock = backend.Socket(ctx, SocketType.PUSH)
    sock.set(SocketOption.LINGER, 0)
    sock.connect("tcp://127.0.0.1:1")  # a peer that never answers
    sock.send(b"never delivered", flags=zmq.DONTWAIT)
    del sock
    assert finishes(ctx.term), "term() waited for a socket only the collector could close"
    assert ctx.closed


def test_destroy_closes_dropped_sockets() -> None:
    ctx = zmq.Context()
    with warnings.catch_warnings():
        # a finaliser that runs first warns about the unclosed socket: not the point here
        warnings.simplefilter("ignore", ResourceWarning)
        for kind in (SocketType.PUSH, SocketType.DEALER):
            s = ctx.socket(kind)
            s.linger = 0  # else a pending message blocks term() forever, by design
            s.connect("tcp://127.0.0.1:1")
            s.send(b"queued forever", flags=zmq.DONTWAIT)
        del s
        assert finishes(lambda: ctx.destroy(linger=0))
    assert ctx.closed
