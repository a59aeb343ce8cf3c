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
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
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


class Peer:
    """A scenario child that talks with the test while it runs: the test writes command
    lines to its stdin and waits for the lines it prints. ``prefix`` runs it under
    another command (e.g. ``ip netns exec NAME``); the environment passes through."""

    def __init__(self, name: str, *args: Any, prefix: Sequence[str] = ()) -> None:
        code = (
            "import json, sys\n"
            f"sys.path.insert(0, {HERE!r})\n"
            "import scenarios\n"
            f"scenarios.run({name!r}, json.loads({json.dumps(list(args))!r}))\n"
        )
        self.what = f"{name}{list(args)}"
        self.netns: str | None = None
        self.child = subprocess.Popen(
            [*prefix, *python_cmd(code)],
            env=child_env({"PYTHONFAULTHANDLER": "1"}),
            cwd="/tmp" if os.path.isdir("/tmp") else None,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(self.child.stdout, True), daemon=True),
            threading.Thread(target=self._read, args=(self.child.stderr, False), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: Any, forward: bool) -> None:
        for line in stream:
            (self.stdout if forward else self.stderr).append(line)
            if forward:
                self.lines.put(line.rstrip("\n"))
        if forward:
            self.lines.put(None)

    @property
    def output(self) -> str:
        return f"--- {self.what} stdout\n{''.join(self.stdout)}--- stderr\n{''.join(self.stderr)}"

    def send(self, line: str) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write(line + "\n")
        self.child.stdin.flush()

    def expect(self, word: str, timeout: float) -> list[str]:
        """The fields of the next line whose first field is `word` (earlier lines are
        skipped); fails if none comes within `timeout` s."""
        return self.expect_any([word], timeout)[1]

    def expect_any(self, words: Sequence[str], timeout: float) -> tuple[str, list[str]]:
        """The first field and the others of the next line that starts with one of
        `words`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no {words} from {self.what} within {timeout} s\n{self.output}")
            if line is None:
                self.child.wait()
                pytest.fail(
                    f"{self.what} ended (rc {self.child.returncode}) before {words}\n{self.output}"
                )
            fields = line.split()
            if fields and fields[0] in words:
                return fields[0], fields[1:]

    def kill(self) -> None:
        """SIGKILL, as when the host it runs on disappears."""
        self.child.kill()
        self.child.wait()
        self._join()

    def finish(self, timeout: float) -> Outcome:
        """Close its stdin (the end of the commands) and wait under the watchdog; it
        must exit 0 with a RESULT."""
        assert self.child.stdin is not None
        try:
            self.child.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.child.wait(timeout)
        except subprocess.TimeoutExpired:
            self.child.send_signal(signal.SIGABRT)
            try:
                self.child.wait(5)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()
            self._join()
            pytest.fail(f"{self.what} hung (killed after {timeout} s)\n{self.output}")
        self._join()
        rc = self.child.returncode
        if rc < 0:
            pytest.fail(f"{self.what} crashed: {signal.Signals(-rc).name}\n{self.output}")
        result = None
        for line in self.stdout:
            if line.startswith("RESULT "):
                result = json.loads(line[len("RESULT ") :])
        outcome = Outcome(rc, "".join(self.stdout), "".join(self.stderr), result)
        assert rc == 0 and result is not None, outcome.output
        return outcome

    def _join(self) -> None:
        for reader in self._readers:
            reader.join(5)
        for stream in (self.child.stdin, self.child.stdout, self.child.stderr):
            if stream is not None:
                try:
                    stream.close()
                except BrokenPipeError:
                    pass
