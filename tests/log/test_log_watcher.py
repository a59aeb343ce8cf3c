"""``python -m zmq.log``: a child process watches a PUBHandler that publishes over tcp on
a system-assigned port; its printed lines are checked, then Ctrl-C ends it cleanly."""

from __future__ import annotations

import logging
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from subprocess_support import child_env, run_module

import zmq
from zmq.log.handlers import PUBHandler

TIMEOUT = 20.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="ends the watcher with SIGINT")


class Watcher:
    """``python -m zmq.log ADDRESS *args`` in a child, fed by a PUBHandler on an XPUB
    socket (its subscription message says the child is connected: no sleeps)."""

    def __init__(self, context: zmq.Context, *args: str, root_topic: str = "") -> None:
        self.xpub = context.socket(zmq.XPUB)
        self.xpub.linger = 0
        port = self.xpub.bind_to_random_port("tcp://127.0.0.1")
        self.handler = PUBHandler(self.xpub, root_topic=root_topic)
        self.handler.setFormatter(logging.Formatter("%(message)s"))
        self.logger = logging.getLogger(f"test.zmq.log.watcher.{uuid.uuid4().hex}")
        self.logger.propagate = False
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(self.handler)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zmq.log", f"tcp://127.0.0.1:{port}", *args],
            env=child_env(),
            cwd=tempfile.gettempdir(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.proc.stdout is not None
        self.reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self.reader.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_subscribed(self) -> bytes:
        assert self.xpub.poll(int(TIMEOUT * 1000)), "the watcher never subscribed"
        return self.xpub.recv()

    def next_line(self) -> str:
        try:
            return self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no output; stderr: {self.stop()[1]}") from None

    def stop(self) -> tuple[int, str]:
        """Ctrl-C the watcher; its exit status and stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(TIMEOUT)  # the child's stdout is at EOF
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.proc.stdout.close()
        with self.proc.stderr:
            return self.proc.returncode, self.proc.stderr.read()

    def close(self) -> None:
        if not self.proc.stderr.closed:  # type: ignore[union-attr]
            self.stop()
        self.logger.removeHandler(self.handler)
        self.xpub.close()


@pytest.fixture
def watch(context: zmq.Context) -> Iterator[Any]:
    started: list[Watcher] = []

    def start(*args: str, root_topic: str = "") -> Watcher:
        watcher = Watcher(context, *args, root_topic=root_topic)
        started.append(watcher)
        return watcher

    yield start
    for watcher in started:
        watcher.close()


def test_prints_topic_and_message_until_ctrl_c(watch: Any) -> None:
    w = watch()
    assert w.wait_subscribed() == b"\x01"
    w.logger.info("hello")
    w.logger.warning("careful\n")  # the message is stripped
    w.logger.error("db::query failed")  # a subtopic extends the topic
    assert [w.next_line() for _ in range(3)] == [
        "INFO | hello",
        "WARNING | careful",
        "ERROR.db | query failed",
    ]
    status, stderr = w.stop()
    assert status == 0, stderr
    assert "Traceback" not in stderr


def test_topic_filter_and_separator(watch: Any) -> None:
    w = watch("--topic", "app.WARNING", "--separator", " :: ", root_topic="app")
    assert w.wait_subscribed() == b"\x01app.WARNING"
    w.logger.info("not shown")
    w.logger.warning("shown")
    assert w.next_line() == "app.WARNING :: shown"
    assert w.lines.empty()


def test_align_pads_topic_parts(watch: Any) -> None:
    w = watch("--align", root_topic="service")
    w.wait_subscribed()
    w.logger.info("a")
    w.logger.critical("b")
    w.logger.debug("net::c")
    assert [w.next_line() for _ in range(3)] == [
        "service.INFO | a",
        "service.CRITICAL | b",
        "service.DEBUG   .net | c",
    ]


def test_timestamp_uses_dateformat(watch: Any) -> None:
    w = watch("--timestamp", "--dateformat", "<%Y>")
    w.wait_subscribed()
    w.logger.info("stamped")
    line = w.next_line()
    stamp, _, rest = line.partition(" ")
    assert stamp.startswith("<") and stamp.endswith(">") and stamp[1:-1].isdigit(), line
    assert rest == "INFO | stamped"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_module("zmq.log", *args, timeout=TIMEOUT)


def test_help_and_bad_arguments() -> None:
    missing = _run()
    assert missing.returncode == 2
    assert "usage: ZMQ Log Watcher" in missing.stderr
    assert "zmq_pub_url" in missing.stderr
    helped = _run("-h")
    assert helped.returncode == 0
    for option in ("--topic", "--timestamp", "--separator", "--dateformat", "--align", "--color"):
        assert option in helped.stdout
    bad = _run("not-an-address")
    assert bad.returncode == 1
    assert bad.stderr.startswith("ZMQ Log Watcher: error: "), bad.stderr


def test_color(watch: Any) -> None:
    try:
        import colorama  # noqa: F401
    except ImportError:
        # the option needs colorama, like pyzmq's: without it, a usage error
        refused = _run("--color", "tcp://127.0.0.1:1")
        assert refused.returncode == 2
        assert "--color needs the colorama package" in refused.stderr
        return
    w = watch("--color")
    w.wait_subscribed()
    w.logger.warning("in colour")
    # (colorama strips the codes when stdout is not a terminal, as here)
    assert w.next_line().endswith("WARNING | in colour")
