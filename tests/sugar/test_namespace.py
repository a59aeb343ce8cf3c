"""The zmq namespace matches pyzmq's: names, module paths, versions, python -m zmq."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest
from subprocess_support import run_python

import zmq

REPO = Path(__file__).resolve().parents[2]

PYZMQ_NAMES = """
Context Socket Frame Message Poller select MessageTracker device proxy proxy_steerable
zmq_poll curve_keypair curve_public has strerror zmq_errno zmq_version zmq_version_info
pyzmq_version pyzmq_version_info __version__ __revision__ get_includes get_library_dirs
COPY_THRESHOLD DRAFT_API IPC_PATH_MAX_LEN ZMQBaseError ZMQError ZMQBindError Again
ContextTerminated NotDone InterruptedSystemCall ZMQVersionError SocketType SocketOption
Flag PollEvent Event ContextOption MessageOption SecurityMechanism DeviceType Errno
RouterNotify NormMode ReconnectStop PUSH PULL PAIR REQ REP DEALER ROUTER PUB SUB XPUB
XSUB STREAM LINGER SNDHWM RCVHWM IDENTITY ROUTING_ID SUBSCRIBE POLLIN POLLOUT POLLERR
NOBLOCK DONTWAIT SNDMORE RCVMORE EAGAIN EINVAL ETERM ENOTSOCK EFSM EVENT_ALL
EVENT_CONNECTED IO_THREADS QUEUE FORWARDER STREAMER backend sugar error utils constants
SyncContext SyncSocket
""".split()

MODULES = """
zmq.sugar zmq.sugar.context zmq.sugar.socket zmq.sugar.frame zmq.sugar.poll
zmq.sugar.tracker zmq.sugar.version zmq.sugar.attrsettr zmq.sugar.stopwatch zmq.utils
zmq.utils.jsonapi zmq.utils.z85 zmq.utils.monitor zmq.utils.interop zmq.utils.win32
zmq.utils.garbage zmq.decorators zmq.constants zmq.error zmq.backend
""".split()


def test_pyzmq_names_exist():
    missing = [name for name in PYZMQ_NAMES if not hasattr(zmq, name)]
    assert missing == []


def test_star_import_exports_all():
    namespace: dict = {}
    exec("from zmq import *", namespace)
    assert [name for name in zmq.__all__ if name not in namespace] == []
    assert {"Context", "Socket", "PUSH", "ZMQError", "proxy"} <= set(namespace)


def test_sugar_all_lists_its_submodules_names():
    from zmq import error, sugar
    from zmq.sugar import context, frame, poll, socket, stopwatch, tracker, version

    expected = ["device", "proxy", "proxy_steerable", "zmq_poll"]
    for module in (context, error, frame, poll, socket, stopwatch, tracker, version):
        expected += module.__all__
    assert sorted(sugar.__all__) == sorted(expected)


def test_backend_api_is_exported():
    from zmq.backend._contract import PUBLIC_API

    private = {"monitored_queue", "Context", "Socket", "Frame", "Message"}
    assert [n for n in PUBLIC_API if n not in private and n not in zmq.__all__] == []
    for name in ("Context", "Socket", "Frame", "Message"):
        assert issubclass(getattr(zmq, name), getattr(zmq.backend, name))


@pytest.mark.parametrize("module", MODULES)
def test_module_paths(module):
    importlib.import_module(module)


def test_errno_values():
    import errno

    assert zmq.EAGAIN == errno.EAGAIN and zmq.EINVAL == errno.EINVAL
    assert zmq.ETERM == zmq.Errno.ETERM and zmq.ContextTerminated().errno == zmq.ETERM
    assert zmq.Again().errno == zmq.EAGAIN


def test_versions():
    assert zmq.pyzmq_version() == zmq.__version__ == "27.3.0.1"
    assert zmq.pyzmq_version_info() == (27, 3, 0, 1)
    from zmq.sugar import version

    parts = (version.VERSION_MAJOR, version.VERSION_MINOR, version.VERSION_PATCH)
    assert parts == (27, 3, 0) and version.VERSION_EXTRA == ".1"
    assert "{}.{}.{}{}".format(*parts, version.VERSION_EXTRA) == zmq.__version__
    pyproject = (REPO / "pyproject.toml").read_text()
    declared = re.search(r'^version = "([^"]+)"', pyproject, re.M)
    assert declared is not None and declared.group(1) == zmq.__version__
    major, minor, patch = zmq.zmq_version_info()
    assert zmq.zmq_version() == f"{major}.{minor}.{patch}" and major >= 4
    from zmq._build_info import BUILD_INFO

    assert BUILD_INFO["libzmq_version"] == zmq.zmq_version()


def test_has():
    assert isinstance(zmq.has("ipc"), bool)
    assert zmq.has("ipc")  # every POSIX libzmq has it
    assert zmq.has("no-such-capability") is False
    assert zmq.DRAFT_API in (True, False)
    from zmq._build_info import BUILD_INFO

    assert zmq.PYZMQ_DRAFT_API is zmq.backend.PYZMQ_DRAFT_API is BUILD_INFO["draft_api"]
    assert zmq.DRAFT_API == (zmq.PYZMQ_DRAFT_API and zmq.has("draft"))


def test_draft_fd_warning_can_be_filtered():
    import warnings

    assert issubclass(zmq.DraftFDWarning, RuntimeWarning)
    assert zmq.DraftFDWarning is zmq.error.DraftFDWarning
    assert "DraftFDWarning" in str(zmq.DraftFDWarning())
    assert str(zmq.DraftFDWarning("own text")) == "own text"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", zmq.DraftFDWarning)
        warnings.warn(zmq.DraftFDWarning(), stacklevel=1)  # filtered: no exception


def test_enum_base_classes_are_exported():
    import enum

    namespace: dict = {}
    exec("from zmq import *", namespace)
    assert namespace["IntEnum"] is enum.IntEnum and namespace["IntFlag"] is enum.IntFlag
    assert zmq.constants.Enum is enum.Enum


def test_get_includes_and_library_dirs():
    includes = zmq.get_includes()
    assert all(os.path.isdir(d) for d in includes)
    package_parent = os.path.dirname(os.path.dirname(zmq.__file__))
    assert os.path.abspath(includes[0]) == os.path.abspath(package_parent)
    pxd_dirs = [d for d in includes if any(f.endswith(".pxd") for f in os.listdir(d))]
    assert pxd_dirs, "the Cython declarations (.pxd) must be on the include path"
    assert all(os.path.isdir(d) for d in zmq.get_library_dirs())


@pytest.mark.timeout(60)
def test_python_m_zmq():
    proc = run_python("import runpy; runpy.run_module('zmq', run_name='__main__')", timeout=50)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert f"backend {zmq.backend.__impl__}" in out
    assert f"libzmq {zmq.zmq_version()}" in out
    assert "libzmq_version:" in out and "capabilities:" in out
    assert "self-test tcp://127.0.0.1:*: OK" in out
    assert "self-test inproc://zmq-self-test: OK" in out


def test_python_m_zmq_fails_loudly(monkeypatch, capsys):
    import zmq.__main__ as main_module

    def broken(ctx: object, url: str) -> None:
        raise AssertionError("no message came back")

    monkeypatch.setattr(main_module, "_round_trip", broken)
    assert main_module.main() == 1
    out = capsys.readouterr().out
    assert "self-test tcp://127.0.0.1:*: FAILED (AssertionError: no message came back)" in out
