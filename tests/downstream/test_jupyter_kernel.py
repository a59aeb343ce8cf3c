"""A real Jupyter kernel (ipykernel) driven by jupyter_client, both running on this zmq.

The kernel is started the way Jupyter starts one (a kernel spec, a connection file, a
separate process), on each backend (``PYZMQ_BACKEND`` reaches the kernel through its
environment; it reports the backend it loaded). The client side runs in the test process
on whichever backend the suite runs. The test executes code, reads the output on IOPub,
interrupts a running cell, restarts the kernel and shuts it down; each kernel process
must end with exit status 0 (an abort in libzmq at exit would show as SIGABRT).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from subprocess_support import child_env

import zmq

pytestmark = pytest.mark.skipif(
    platform.python_implementation() != "CPython",
    reason="ipykernel and jupyter_client are test dependencies on CPython only "
    "(pyproject's test extra)",
)

#: bound for every single wait on the kernel (start-up imports IPython: seconds)
TIMEOUT = 60.0
SPEC_NAME = "zmq-under-test"


class Session:
    """A started kernel and a connected blocking client, with helpers to run cells."""

    def __init__(self, km: Any, kc: Any, stderr_path: Path) -> None:
        self.km = km
        self.kc = kc
        self.stderr_path = stderr_path

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def shell_reply(self, msg_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply: dict[str, Any] = self.kc.get_shell_msg(timeout=_left(deadline))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def iopub_until_idle(self, msg_id: str, stop_at: str | None = None) -> list[dict[str, Any]]:
        """IOPub messages of request ``msg_id`` until the kernel is idle again (or until
        a stream output containing ``stop_at``)."""
        deadline = time.monotonic() + TIMEOUT
        messages = []
        while True:
            msg: dict[str, Any] = self.kc.get_iopub_msg(timeout=_left(deadline))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            messages.append(msg)
            content = msg["content"]
            if stop_at is not None and stop_at in content.get("text", ""):
                return messages
            if msg["msg_type"] == "status" and content["execution_state"] == "idle":
                return messages

    def run(self, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        msg_id = self.kc.execute(code)
        outputs = self.iopub_until_idle(msg_id)
        return self.shell_reply(msg_id), outputs


def _wait_for_sleep(pid: int) -> None:
    """Until the main thread of process ``pid`` sleeps in clock_nanosleep (time.sleep);
    returns at once where /proc does not say."""
    path = f"/proc/{pid}/syscall"
    if not (sys.platform == "linux" and platform.machine() == "x86_64" and os.path.exists(path)):
        return
    deadline = time.monotonic() + TIMEOUT
    while True:
        with open(path) as f:
            if f.read().split()[0] == "230":  # x86_64 clock_nanosleep
                return
        _left(deadline)
        time.sleep(0.001)  # polling a condition in another process: nothing to wait on


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the kernel did not answer in time")
    return left


def _stdout(outputs: list[dict[str, Any]]) -> str:
    return "".join(
        m["content"]["text"]
        for m in outputs
        if m["msg_type"] == "stream" and m["content"]["name"] == "stdout"
    )


@pytest.fixture(params=[("cython", "disabled"), ("cffi", "required")], ids=["cython", "cffi-curve"])
def kernel(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Session]:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    backend, encryption = request.param
    # Jupyter's and IPython's files (runtime, history) in the test's directory, not ~
    for name in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    spec_dir = tmp_path / "kernels" / SPEC_NAME
    spec_dir.mkdir(parents=True)
    # this interpreter, not whatever "python3" kernel spec the machine has
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"zmq under test ({backend})",
        "language": "python",
        "env": {"PYZMQ_BACKEND": backend},
        "metadata": {"supported_encryption": ["curve"]},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")], ensure_native_kernel=False)
    km = KernelManager(
        kernel_name=SPEC_NAME,
        kernel_spec_manager=ksm,
        connection_file=str(tmp_path / "connection.json"),
        # required: every channel between client and kernel uses CURVE
        transport_encryption=encryption,
        # a graceful shutdown or restart may take more than the default 5 s on a loaded
        # machine; after it the manager would SIGTERM the kernel (exit -15). A kernel
        # that hangs still fails the test, at the exit-status checks below.
        shutdown_wait_time=TIMEOUT / 2,
    )
    stderr_path = tmp_path / "kernel-stderr.txt"
    # (open until the end: a restart starts the new kernel with the same arguments)
    with open(stderr_path, "w") as stderr:
        # the zmq under test first on the kernel's path, started outside the source tree
        km.start_kernel(env=child_env(), cwd=str(tmp_path), stderr=stderr)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=TIMEOUT)
            yield Session(km, kc, stderr_path)
        finally:
            kc.stop_channels()
            if km.has_kernel:
                km.shutdown_kernel(now=True)


@pytest.mark.timeout(300)
def test_execute_interrupt_restart_shutdown(kernel: Session, request: Any) -> None:
    backend, encryption = request.node.callspec.params["kernel"]
    km = kernel.km
    if encryption == "required":
        assert km.curve_publickey and km.get_connection_info().get("curve_publickey")

    # code runs and its output arrives on IOPub
    reply, outputs = kernel.run("print('hello from', 6 * 7)")
    assert reply["content"]["status"] == "ok"
    assert _stdout(outputs) == "hello from 42\n"
    statuses = [m["content"]["execution_state"] for m in outputs if m["msg_type"] == "status"]
    assert statuses == ["busy", "idle"]

    # the kernel runs on this zmq, with the backend its environment asked for (and the
    # security mechanism the manager asked for)
    reply, outputs = kernel.run(
        "import zmq, zmq.backend\n"
        "from ipykernel.kernelapp import IPKernelApp\n"
        "mechanism = IPKernelApp.instance().shell_socket.mechanism\n"
        "print(zmq.__file__, zmq.backend.__impl__, zmq.SecurityMechanism(mechanism).name,"
        " sep='\\n')"
    )
    assert reply["content"]["status"] == "ok", reply["content"]
    zmq_file, impl, mechanism = _stdout(outputs).split()
    assert os.path.samefile(zmq_file, zmq.__file__)
    assert impl == backend
    assert mechanism == ("CURVE" if encryption == "required" else "NULL")

    # results come back as execute_result
    reply, outputs = kernel.run("x = 20\nx + 1")
    results = [
        m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"
    ]
    assert results == ["21"]

    # interrupting a running cell ends it with KeyboardInterrupt; the kernel lives on
    msg_id = kernel.kc.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(30)")
    kernel.iopub_until_idle(msg_id, stop_at="sleeping")
    # The output can arrive while the kernel still finishes flushing it; an interrupt that
    # lands there (not in the cell's sleep) can make IPython's traceback formatting fail
    # and print a fallback instead of the error message. So interrupt in the sleep.
    _wait_for_sleep(km.provisioner.process.pid)
    started = time.monotonic()
    km.interrupt_kernel()
    reply = kernel.shell_reply(msg_id)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.monotonic() - started < 10
    after = kernel.iopub_until_idle(msg_id)
    errors = [m["content"]["ename"] for m in after if m["msg_type"] == "error"]
    assert errors == ["KeyboardInterrupt"], [(m["msg_type"], m["content"]) for m in after]
    reply, outputs = kernel.run("print(x)")
    assert _stdout(outputs) == "20\n"

    # a graceful restart: the old kernel shuts down cleanly, the new one has fresh state
    old = km.provisioner.process
    km.restart_kernel(now=False)
    assert old.wait(timeout=TIMEOUT) == 0, kernel.stderr()
    kernel.kc.wait_for_ready(timeout=TIMEOUT)
    new = km.provisioner.process
    assert new.pid != old.pid
    reply, outputs = kernel.run("print('x' in globals())")
    assert _stdout(outputs) == "False\n"

    # a graceful shutdown, and the kernel process exits with status 0
    km.shutdown_kernel(now=False)
    assert new.wait(timeout=TIMEOUT) == 0, kernel.stderr()
    assert not km.is_alive()
    assert "Bad file descriptor" not in kernel.stderr()
