"""One-line build messages, all prefixed so they stand out in pip's verbose output."""

from __future__ import annotations

import sys

PREFIX = "[zmq-build]"


def info(text: str) -> None:
    print(f"{PREFIX} {text}", flush=True)


def warn(text: str) -> None:
    print(f"{PREFIX} WARNING: {text}", file=sys.stderr, flush=True)
