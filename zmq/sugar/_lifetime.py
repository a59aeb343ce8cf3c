"""Interpreter-exit flag: finalizers (``__del__``) must not close or terminate anything
once exit has begun, so exit never waits on libzmq."""

from __future__ import annotations

import atexit

exiting = False


def _notice_exit() -> None:
    global exiting
    exiting = True


atexit.register(_notice_exit)
