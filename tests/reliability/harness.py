"""Reliability scenarios: each runs in its own child process under a watchdog.

A scenario is a function in ``scenarios.py``; ``run_scenario(name, ...)`` runs it with
``python -c`` in a neutral directory against the zmq under test. A child that hangs is
killed when its time is up and the test fails with "hung"; a child killed by a signal
(SIGABRT from libzmq, SIGSEGV) fails the test with "crashed". Either way the rest of
the suite goes on. A scenario reports its figures as one JSON line starting ``RESULT``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from subprocess_support import child_env, python_cmd

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    result: Any  # the RESULT payload, or None

    @property
    def output(self) -> str:
        return f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def start_scenario(name: str, *args: Any) -> subprocess.Popen[str]:
    """Start scenarios.<name>(*args) in a child (args are JSON values)."""
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {HERE!r})\n"
        "import scenarios\n"
        f"scenarios.run({name!r}, json.loads({json.dumps(list(args))!r}))\n"
    )
    return subprocess.Popen(
        python_cmd(code),
        env=child_env({"PYTHONFAULTHANDLER": "1"}),
        cwd="/tmp" if os.path.isdir("/tmp") else None,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(child: subprocess.Popen[str], timeout: float, what: str) -> Outcome:
    """Wait for child at most timeout s (the watchdog); fail on a hang or a crash."""
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # faulthandler prints every thread's stack on SIGABRT: say where it hung
        child.send_signal(signal.SIGABRT)
        try:
            stdout, stderr = child.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            stdout, stderr = child.communicate()
        pytest.fail(
            f"{what} hung (killed after {timeout} s)\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        )
    rc = child.returncode
    if rc < 0:
        pytest.fail(
            f"{what} crashed: {signal.Signals(-rc).name}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        )
    result = None
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
    return Outcome(rc, stdout, stderr, result)


def run_scenario(name: str, *args: Any, timeout: float = 60) -> Outcome:
    """Run a scenario to the end; it must exit 0 and report a RESULT."""
    outcome = finish(start_scenario(name, *args), timeout, f"scenario {name}{list(args)}")
    assert outcome.returncode == 0, outcome.output
    assert outcome.result is not None, outcome.output
    return outcome
