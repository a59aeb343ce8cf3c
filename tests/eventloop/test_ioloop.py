"""zmq.eventloop.ioloop: the deprecated alias of tornado.ioloop; tornado stays optional."""

from __future__ import annotations

import importlib

import pytest
import tornado.ioloop
from subprocess_support import run_python

import zmq.eventloop


def test_package_exports_tornado_ioloop() -> None:
    assert zmq.eventloop.IOLoop is tornado.ioloop.IOLoop


def test_ioloop_module_is_deprecated_alias() -> None:
    with pytest.deprecated_call(match="zmq.eventloop.ioloop is deprecated"):
        ioloop = importlib.reload(importlib.import_module("zmq.eventloop.ioloop"))
    assert ioloop.ZMQIOLoop is tornado.ioloop.IOLoop
    assert ioloop.IOLoop is tornado.ioloop.IOLoop
    assert ioloop.PeriodicCallback is tornado.ioloop.PeriodicCallback
    with pytest.deprecated_call():
        assert ioloop.install() is None


def test_import_zmq_does_not_import_tornado() -> None:
    # run_python: from a neutral directory, importing the zmq under test
    out = run_python("import sys, zmq; zmq.Context; print('tornado' in sys.modules)")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
