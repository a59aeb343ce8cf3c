"""zmq.decorators: context() and socket() hand out objects and close them afterwards."""

from __future__ import annotations

from typing import Any

import pytest

import zmq
from zmq.decorators import context, socket


def test_context_and_socket_positional():
    seen: dict[str, Any] = {}

    @context()
    @socket(zmq.PUSH)
    @socket(zmq.PULL)
    def work(ctx, push, pull):
        seen.update(ctx=ctx, push=push, pull=pull)
        pull.bind("inproc://decorated")
        push.connect("inproc://decorated")
        push.send(b"hi")
        return pull.recv()

    # the decorators supply the arguments; their typing (like pyzmq's) keeps the
    # decorated signature, hence the ignores on these calls
    assert work() == b"hi"  # type: ignore[call-arg]
    assert isinstance(seen["ctx"], zmq.Context) and seen["ctx"].closed
    assert seen["push"].type == zmq.PUSH and seen["push"].closed
    assert seen["pull"].context is seen["ctx"] and seen["pull"].closed


def test_named_arguments():
    @context("ctx", io_threads=2)
    @socket("sock", zmq.PAIR, context_name="ctx")
    def work(ctx, sock, extra=None):
        assert ctx.io_threads == 2
        assert sock.context is ctx
        return extra

    assert work(extra=5) == 5  # type: ignore[call-arg]

    @socket(zmq.PUB, name="pub")
    def uses_instance(pub):
        return pub.context

    assert uses_instance() is zmq.Context.instance()  # type: ignore[call-arg]


def test_duplicate_keyword_is_refused():
    @context("ctx")
    def work(ctx):
        return ctx

    with pytest.raises(TypeError, match="multiple values"):
        work(ctx=None)
