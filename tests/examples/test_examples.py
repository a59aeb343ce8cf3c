"""Run every script in examples/ as a user would, so the examples cannot rot.

Each example runs in a child process (a neutral working directory, the zmq under test
first on the path) with a timeout; it binds only to ports the system picks and prints
what it did, which is checked here.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from subprocess_support import child_env

import zmq

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TIMEOUT = 45

#: example script -> (extra arguments, a regular expression its output must match)
EXPECTED = {
    "pubsub.py": (["--count", "4"], r"\Aweather 20 C\n(weather .*\n){3}received 4 weather"),
    "pipeline.py": (["--workers", "3", "--tasks", "10"], r"3 workers squared 10 numbers, sum 285"),
    "asyncio_reqrep.py": (["--clients", "2"], r"reply: 0-tneilc\nreply: 1-tneilc\n"),
    "zmqstream_echo.py": (["--count", "2"], r"echo: ping 0\necho: ping 1\n"),
    "curve_auth.py": ([], r"server got: secret hello\nclient got: welcome\n"),
    "monitor.py": ([], r"ACCEPTED tcp://127\.0\.0\.1:\d+\nDISCONNECTED tcp://"),
    "proxy_device.py": (["--requests", "4"], r"(request \d handled by w\d\n){4}"),
    "zerocopy_tracker.py": ([], r"received 1048576 bytes without copying\ntracker done: True"),
    "gevent_green.py": ([], r"reply: ONE\nreply: TWO\nreply: THREE\n"),
    "log_publisher.py": ([], r"example\.INFO service started\nexample\.WARNING .*disk almost full"),
}
#: examples run as a pair of processes by test_reqrep_server_and_client
PAIRED = {"reqrep_server.py", "reqrep_client.py"}


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        env=child_env(),
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def test_every_example_is_tested() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted({*EXPECTED, *PAIRED})


@pytest.mark.timeout(TIMEOUT + 15)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(name: str) -> None:
    if name == "gevent_green.py":
        pytest.importorskip("gevent")  # an optional dependency (none on PyPy here)
    if name == "curve_auth.py" and not zmq.has("curve"):
        pytest.skip("this libzmq has no CURVE")
    args, pattern = EXPECTED[name]
    result = run_example(name, *args)
    assert result.returncode == 0, result.stderr
    assert re.search(pattern, result.stdout), result.stdout
    assert "Traceback" not in result.stderr, result.stderr


@pytest.mark.timeout(TIMEOUT + 15)
def test_reqrep_server_and_client() -> None:
    server = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "reqrep_server.py"), "--requests", "2"],
        env=child_env(),
        cwd=tempfile.gettempdir(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        match = re.fullmatch(r"listening on (tcp://127\.0\.0\.1:\d+)\n", first)
        assert match, first
        client = run_example("reqrep_client.py", match.group(1), "--requests", "2")
        assert client.returncode == 0, client.stderr
        assert client.stdout == "reply: HELLO 0\nreply: HELLO 1\n"
        out, err = server.communicate(timeout=TIMEOUT)
        assert server.returncode == 0, err
        assert out == "served 2 requests\n"
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()


def test_client_without_server_fails_clearly() -> None:
    # a port that was free a moment ago: nothing listens there
    with zmq.Context() as ctx, ctx.socket(zmq.REP) as sock:
        port = sock.bind_to_random_port("tcp://127.0.0.1")
    result = run_example(
        "reqrep_client.py", f"tcp://127.0.0.1:{port}", "--requests", "1", "--timeout", "0.3"
    )
    assert result.returncode == 1
    assert f"no reply from tcp://127.0.0.1:{port} within 0.3 s" in result.stderr
