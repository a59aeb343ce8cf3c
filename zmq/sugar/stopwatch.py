"""A microsecond stopwatch (kept for code that imports ``zmq.Stopwatch``'s module path)."""

from __future__ import annotations

import time
from typing import Optional

from zmq.error import ZMQError

__all__ = ["Stopwatch"]


class Stopwatch:
    """``start()`` then ``stop()`` returns the elapsed time in microseconds."""

    def __init__(self) -> None:
        self._start: Optional[int] = None

    def start(self) -> None:
        self._start = time.monotonic_ns()

    def stop(self) -> int:
        if self._start is None:
            raise ZMQError(msg="Must start the Stopwatch before calling stop.")
        elapsed = time.monotonic_ns() - self._start
        self._start = None
        return elapsed // 1000
