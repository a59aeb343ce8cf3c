"""zmq.auth.ioloop: pyzmq's deprecated tornado authenticator, an AsyncioAuthenticator
running on the IOLoop's asyncio loop."""

from __future__ import annotations

import importlib
import sys
import warnings

import pytest
from auth.test_asyncio_auth import plain_results

import zmq
import zmq.asyncio
from zmq.auth.asyncio import AsyncioAuthenticator


def _import_fresh() -> object:
    sys.modules.pop("zmq.auth.ioloop", None)
    return importlib.import_module("zmq.auth.ioloop")


def test_import_warns_deprecation() -> None:
    with pytest.warns(DeprecationWarning, match="AsyncioAuthenticator"):
        module = _import_fresh()
    assert module.__all__ == ["IOLoopAuthenticator"]  # type: ignore[attr-defined]
    assert issubclass(module.IOLoopAuthenticator, AsyncioAuthenticator)  # type: ignore[attr-defined]


def test_plain_through_ioloop_authenticator() -> None:
    tornado_ioloop = pytest.importorskip("tornado.ioloop")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from zmq.auth.ioloop import IOLoopAuthenticator

    def make(ctx: zmq.asyncio.Context) -> IOLoopAuthenticator:
        io_loop = tornado_ioloop.IOLoop.current()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            auth = IOLoopAuthenticator(ctx, io_loop=io_loop)
        # as pyzmq: one for io_loop, one from AsyncioAuthenticator for its loop
        ours = [w for w in caught if "io_loop" in str(w.message)]
        assert [w.category for w in ours] == [DeprecationWarning], caught
        assert ours[0].filename == __file__  # points at the caller
        return auth

    assert plain_results(make) == [True, False]


def test_without_io_loop_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from zmq.auth.ioloop import IOLoopAuthenticator
    ctx = zmq.Context()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            auth = IOLoopAuthenticator(ctx, encoding="latin-1")
        assert auth.encoding == "latin-1"
        auth.stop()
    finally:
        ctx.term()
