"""The Cython-level API: a third-party Cython module (cimport_probe/) that cimports
Context, Frame, Socket and libzmq from the installed package is compiled against it and
moves messages through their C attributes and methods."""

from __future__ import annotations

import errno
import importlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from subprocess_support import child_env

import zmq

PROBE = Path(__file__).resolve().parent / "cimport_probe" / "zmq_cimport_probe.pyx"

pytestmark = pytest.mark.skipif(
    zmq.backend.__impl__ != "cython",
    reason="the cimport API is the Cython backend's (this run uses the CFFI backend)",
)


def _build_info() -> dict[str, Any]:
    try:
        from zmq._build_info import BUILD_INFO
    except ImportError:
        pytest.skip("no build information: zmq was not built by its setup.py")
    return BUILD_INFO


def _libzmq_flags() -> dict[str, list[str]]:
    """Where the libzmq this package was built against is, for a module that calls it."""
    info = _build_info()
    if info["kind"] != "system":
        pytest.skip(
            "libzmq is bundled into this build: there is no libzmq header or shared "
            "library to compile a module that calls libzmq against (as with pyzmq's wheels)"
        )
    header_dir = os.path.dirname(info["header"]) if info.get("header") else None
    return {
        "include_dirs": [*zmq.get_includes(), *filter(None, [header_dir]), *info["include_dirs"]],
        "library_dirs": [*info["library_dirs"]],
        "libraries": [*info["libraries"]],
        "runtime_library_dirs": [*info["runtime_library_dirs"]],
    }


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    pytest.importorskip("Cython", reason="compiling the probe needs Cython")
    flags = _libzmq_flags()
    build_dir = tmp_path_factory.mktemp("cimport")
    shutil.copy(PROBE, build_dir / PROBE.name)
    script = textwrap.dedent(
        f"""
        from Cython.Build import cythonize
        from setuptools import Extension, setup

        import zmq

        flags = {flags!r}
        extension = Extension("zmq_cimport_probe", ["zmq_cimport_probe.pyx"], **flags)
        setup(
            name="zmq-cimport-probe",
            ext_modules=cythonize([extension], include_path=zmq.get_includes(), quiet=True),
            script_args=["build_ext", "--inplace"],
        )
        """
    )
    # -O0: the module is tiny and its speed irrelevant; this halves the compile time
    env = child_env({"CFLAGS": "-O0"})
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=build_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(build_dir))
    try:
        return importlib.import_module("zmq_cimport_probe")
    finally:
        sys.path.remove(str(build_dir))


def test_cimport_paths_name_the_backend_types(probe: ModuleType) -> None:
    assert probe.same_types()
    assert probe.libzmq_version() == zmq.zmq_version_info()


@pytest.mark.parametrize("transport", ["inproc", "tcp"])
def test_round_trip_through_c_handles(
    probe: ModuleType, context: zmq.Context, transport: str
) -> None:
    push, pull = context.socket(zmq.PUSH), context.socket(zmq.PULL)
    for sock in (push, pull):
        sock.linger = 0
        sock.rcvtimeo = 10_000
    if transport == "tcp":
        push.connect(f"tcp://127.0.0.1:{pull.bind_to_random_port('tcp://127.0.0.1')}")
    else:
        pull.bind("inproc://cimport-probe")
        push.connect("inproc://cimport-probe")
    assert probe.socket_type(push) == zmq.PUSH and probe.socket_type(pull) == zmq.PULL
    assert not probe.poll_in(pull, 0)
    # C send -> Python recv, Python send -> C recv, multipart flags pass through
    assert probe.send_c(push, b"from C") == 6
    assert pull.recv() == b"from C"
    push.send(b"to C")
    assert probe.poll_in(pull, 10_000)
    assert probe.recv_c(pull) == b"to C"
    probe.send_c(push, b"first", zmq.SNDMORE)
    probe.send_c(push, b"second")
    assert pull.recv_multipart() == [b"first", b"second"]
    # Python methods through typed references; a received Frame read at C level
    assert probe.send_recv_methods(push, pull, b"frame data") == (b"frame data", False)
    push.send_multipart([b"a", b"b"])
    frame = pull.recv(copy=False)
    assert probe.frame_bytes(frame) == b"a" and frame.more
    assert probe.frame_bytes(zmq.Frame(b"made in Python")) == b"made in Python"
    assert pull.recv() == b"b"


def test_attributes_match_the_python_view(probe: ModuleType, context: zmq.Context) -> None:
    sock = context.socket(zmq.DEALER)
    sock.copy_threshold = 1234
    assert probe.socket_attributes(sock) == {
        "handle": sock.underlying,
        "type": zmq.DEALER,
        "copy_threshold": 1234,
        "context": context,
        "shadow": False,
    }
    assert probe.context_handle(context) == context.underlying
    shadow: zmq.Socket[bytes] = zmq.Socket.shadow(sock.underlying)
    assert probe.socket_attributes(shadow)["shadow"] is True
    assert probe.socket_attributes(shadow)["handle"] == sock.underlying
    sock.close()
    assert probe.socket_attributes(sock)["handle"] == 0


def test_wrong_arguments_are_python_errors(probe: ModuleType, context: zmq.Context) -> None:
    with pytest.raises(TypeError):
        probe.send_c(object(), b"x")
    with pytest.raises(TypeError):
        probe.send_c(None, b"x")
    with pytest.raises(TypeError):
        probe.frame_bytes(b"not a frame")
    sock = context.socket(zmq.PUSH)
    sock.close()
    with pytest.raises(OSError) as info:
        probe.send_c(sock, b"closed")  # libzmq refuses the NULL handle
    assert info.value.errno in (errno.ENOTSOCK, errno.EFAULT)
