"""An ipykernel kernel app initialised and closed 20 times in one process.

``IPKernelApp.close()`` stops the IOPub thread, which closes its tornado IOLoop with
``all_fds=True``: every ZMQStream socket registered there must be closed as a socket.
When the loop got libzmq's own descriptor instead, it os.close()d it and libzmq's
reaper aborted the process at the next context termination ("Bad file descriptor
(src/signaler.cpp:184)"). Each cycle also uses the kernel's zmq threads: the heartbeat
(a one-socket device) echoes a ping, and subscribing to IOPub (an XPUB served by a
ZMQStream) brings ipykernel's welcome message.

The cycles run in a child process under a watchdog: an abort or hang is reported.
"""

from __future__ import annotations

import json
import platform
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from subprocess_support import run_python

pytestmark = pytest.mark.skipif(
    platform.python_implementation() != "CPython",
    reason="ipykernel is a test dependency on CPython only (pyproject's test extra)",
)

CYCLES = 20

CHILD = """
import collections, json, os, sys, tempfile, threading, gc

import zmq
from ipykernel.kernelapp import IPKernelApp
from IPython.core.interactiveshell import InteractiveShell
from jupyter_client.session import Session

CYCLES = {cycles}
out = os.fdopen(os.dup(1), "w", buffering=1)  # the kernel app captures sys.stdout
tmp = tempfile.mkdtemp()

def fds():
    if not os.path.isdir("/proc/self/fd"):
        return None  # (not Linux: no descriptor listing to compare)
    kinds = collections.Counter()
    for name in os.listdir("/proc/self/fd"):
        try:
            kinds[os.readlink(f"/proc/self/fd/{{name}}").split(":")[0]] += 1
        except OSError:
            pass  # the listing's own descriptor
    return dict(kinds)

def use(app):
    # a context of its own, terminated before the descriptors are counted: closing a
    # socket leaves its TCP connection to libzmq's I/O thread, which closes it later
    with zmq.Context() as ctx:
        return exchange(app, ctx)

def exchange(app, ctx):
    # heartbeat: ipykernel echoes through a device whose two ends are one ROUTER socket
    hb = ctx.socket(zmq.REQ)
    hb.linger = 0
    hb.rcvtimeo = hb.sndtimeo = 10_000
    hb.connect(f"tcp://127.0.0.1:{{app.hb_port}}")
    hb.send(b"ping")
    echoed = hb.recv()
    hb.close()
    # IOPub: a new subscription is answered with a welcome message from the IOPub thread
    sub = ctx.socket(zmq.SUB)
    sub.linger = 0
    sub.rcvtimeo = 10_000
    sub.subscribe(b"")
    sub.connect(f"tcp://127.0.0.1:{{app.iopub_port}}")
    session = Session(key=app.session.key)
    msg = session.deserialize(session.feed_identities(sub.recv_multipart())[1])
    sub.close()
    return echoed == b"ping" and msg["header"]["msg_type"] == "iopub_welcome"

records = []
for i in range(CYCLES):
    app = IPKernelApp(
        connection_file=os.path.join(tmp, f"kernel-{{i}}.json"),
        ip="127.0.0.1",
        quiet=True,
        # ipykernel's fd capture leaks a pipe per cycle whichever pyzmq runs it
        capture_fd_output={capture},
    )
    app.initialize([])
    worked = use(app)
    app.close()
    app.cleanup_connection_file()
    InteractiveShell.clear_instance()
    IPKernelApp.clear_instance()
    gc.collect()
    records.append({{"worked": worked, "fds": fds(), "threads": threading.active_count()}})
out.write(json.dumps(records) + "\\n")
"""


@pytest.mark.timeout(180)
@pytest.mark.parametrize("capture", [False, True], ids=["fd-capture-off", "fd-capture-on"])
def test_kernel_app_initialised_and_closed_twenty_times(capture: bool, tmp_path: Path) -> None:
    # IPython's files (history) in the test's directory, not ~
    env = {"IPYTHONDIR": str(tmp_path / "ipython")}
    try:
        result = run_python(CHILD.format(cycles=CYCLES, capture=capture), env=env, timeout=150)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"hung: {e.stderr!r}")
    if result.returncode < 0:
        pytest.fail(
            f"killed by {signal.Signals(-result.returncode).name}:\n{result.stderr[-3000:]}"
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Bad file descriptor" not in result.stderr
    records = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(records) == CYCLES
    assert all(r["worked"] for r in records)
    # flat after the first cycle (which loads modules and starts IPython's history thread)
    threads = {r["threads"] for r in records[1:]}
    assert len(threads) == 1, [r["threads"] for r in records]
    if records[0]["fds"] is None:
        assert not sys.platform.startswith("linux")
        return
    if capture:
        # ipykernel's own per-cycle pipes aside, nothing grows (zmq's eventfds, epolls
        # and sockets included)
        counts = [{k: v for k, v in r["fds"].items() if k != "pipe"} for r in records[1:]]
    else:
        counts = [sum(r["fds"].values()) for r in records[1:]]
    assert all(c == counts[0] for c in counts), counts
