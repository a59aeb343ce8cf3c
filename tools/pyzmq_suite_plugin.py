"""pytest plugin for tools/pyzmq_suite.py: one JSON line per test phase, written as it runs.

Loaded with ``-p pyzmq_suite_plugin`` into runs of pyzmq's test suite (ours and pyzmq's
own); the file named by ``PYZMQ_SUITE_REPORT`` gets the lines. Written line by line and
flushed so that a run killed by the harness still leaves the outcomes it reached.
"""

from __future__ import annotations

import json
import os
from typing import IO, Any

_out: IO[str] | None = None


def pytest_configure(config: Any) -> None:
    global _out
    _out = open(os.environ["PYZMQ_SUITE_REPORT"], "a", encoding="utf-8")


def pytest_unconfigure(config: Any) -> None:
    if _out is not None:
        _out.close()


def _write(line: dict[str, Any]) -> None:
    if _out is not None:
        _out.write(json.dumps(line) + "\n")
        _out.flush()


def pytest_runtest_logreport(report: Any) -> None:
    line = {
        "id": report.nodeid,
        "when": report.when,
        "outcome": report.outcome,
        "xfail": hasattr(report, "wasxfail"),
    }
    if report.skipped and isinstance(report.longrepr, tuple):
        line["reason"] = str(report.longrepr[2]).removeprefix("Skipped: ")
    _write(line)


def pytest_collectreport(report: Any) -> None:
    # a module that fails to import: its tests never run, the harness counts them as failed
    if report.failed:
        _write({"id": report.nodeid, "when": "collect", "outcome": "failed", "xfail": False})
