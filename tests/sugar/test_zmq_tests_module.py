"""zmq.tests: pyzmq's deprecated unittest helpers run real tests over real sockets."""

from __future__ import annotations

import importlib
import sys
import unittest
import warnings
from types import ModuleType
from typing import Any

import pytest

import zmq


def helpers() -> ModuleType:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return importlib.import_module("zmq.tests")


def run_case(cls: type, *names: str) -> unittest.TestResult:
    result = unittest.TestResult()
    unittest.TestSuite(cls(name) for name in names).run(result)
    return result


def test_import_warns() -> None:
    sys.modules.pop("zmq.tests", None)
    with pytest.warns(DeprecationWarning, match="zmq.tests is deprecated"):
        importlib.import_module("zmq.tests")


def test_base_case_round_trips_and_cleans_up() -> None:
    zt = helpers()
    seen: dict[str, Any] = {}

    class Case(zt.BaseZMQTestCase):  # type: ignore[name-defined]
        def test_pair(self) -> None:
            a, b = self.create_bound_pair(zmq.PAIR, zmq.PAIR)
            assert self.ping_pong(a, b, b"ping") == b"ping"
            assert self.ping_pong_json(a, b, {"n": [1, 2]}) == {"n": [1, 2]}
            assert self.ping_pong_pyobj(a, b, (1, "x")) == (1, "x")
            b.send_multipart([b"x", b"y"])
            assert self.recv_multipart(a) == [b"x", b"y"]
            seen["sockets"] = [a, b]
            seen["context"] = self.context

        def test_recv_fails_instead_of_blocking(self) -> None:
            a, b = self.create_bound_pair(zmq.PUSH, zmq.PULL)
            with pytest.raises(AssertionError, match="nothing to receive"):
                self.recv(b, timeout=0.05)
            a.send(b"late")
            assert self.recv(b) == b"late"

        def test_errno(self) -> None:
            sock = self.socket(zmq.PULL)
            self.assertRaisesErrno(zmq.EAGAIN, sock.recv, zmq.DONTWAIT)
            with pytest.raises(AssertionError):
                self.assertRaisesErrno(zmq.EINVAL, sock.recv, zmq.DONTWAIT)
            with pytest.raises(AssertionError):
                self.assertRaisesErrno(zmq.EAGAIN, lambda: None)

    result = run_case(Case, "test_pair", "test_recv_fails_instead_of_blocking", "test_errno")
    assert (result.errors, result.failures, result.testsRun) == ([], [], 3)
    assert all(s.closed for s in seen["sockets"])
    assert seen["context"].closed  # tearDown terminated Context.instance()
    assert issubclass(zt.PollZMQTestCase, zt.BaseZMQTestCase)


def test_term_context_reports_an_open_socket() -> None:
    zt = helpers()
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PUSH)
    sock.linger = -1
    sock.connect("tcp://127.0.0.1:1")  # never connects: a queued message lingers forever
    sock.send(b"stuck")
    try:
        with pytest.raises(RuntimeError, match="did not terminate"):
            zt.term_context(ctx, 0.2)
    finally:
        sock.close(linger=0)  # lets the pending term() in the helper's thread finish


def test_skip_green_decorator() -> None:
    zt = helpers()

    class Case(zt.BaseZMQTestCase):  # type: ignore[name-defined]
        @zt.skip_green
        def test_plain(self) -> None:
            pass

    class GreenCase(zt.GreenTest, Case):  # type: ignore[name-defined]
        pass

    assert run_case(Case, "test_plain").skipped == []
    result = run_case(GreenCase, "test_plain")
    assert len(result.skipped) == 1


def test_green_case_runs_on_gevent() -> None:
    pytest.importorskip("gevent")
    zt = helpers()
    import zmq.green

    class GreenCase(zt.GreenTest, zt.BaseZMQTestCase):  # type: ignore[name-defined]
        def test_green_pair(self) -> None:
            assert self.Context is zmq.green.Context
            a, b = self.create_bound_pair(zmq.PAIR, zmq.PAIR)
            assert isinstance(a, zmq.green.Socket)
            assert self.ping_pong(a, b, b"green") == b"green"
            self.assertRaisesErrno(zmq.EAGAIN, a.recv)  # skipped: green sockets wait

    result = run_case(GreenCase, "test_green_pair")
    assert (result.errors, result.failures, len(result.skipped)) == ([], [], 1)
