"""A microsecond stopwatch: ``zmq.Stopwatch``, deprecated (as in pyzmq) for the stdlib's
``time.monotonic``/``time.perf_counter``."""

from __future__ import annotations

import time
import warnings
from typing import Optional

from zmq.error import ZMQError

__all__ = ["Stopwatch"]


class Stopwatch:
    """``start()`` then ``stop()`` returns the elapsed time in microseconds."""

    def __init__(self) -> None:
        warnings.warn(
            "zmq.Stopwatch is deprecated; use time.monotonic or time.perf_counter",
            DeprecationWarning,
            stacklevel=2,
        )
        self._start: Optional[int] = None

    def start(self) -> None:
        """Start (or restart) timing."""
        self._start = time.monotonic_ns()

    def stop(self) -> int:
        """Stop timing.

        Returns
        -------
        int
            Microseconds since :meth:`start`.

        Raises
        ------
        zmq.ZMQError
            If :meth:`start` was not called.
        """
        if self._start is None:
            raise ZMQError(msg="Must start the Stopwatch before calling stop.")
        elapsed = time.monotonic_ns() - self._start
        self._start = None
        return elapsed // 1000
