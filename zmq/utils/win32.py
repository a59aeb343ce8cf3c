"""Ctrl-C handling for blocking zmq calls on Windows (``allow_interrupt``).

Our backends retry EINTR after running Python's signal handlers, so Ctrl-C interrupts
blocking calls on POSIX without help; there this context manager does nothing. On
Windows it installs a console control handler that calls ``action`` (default: raise
KeyboardInterrupt in the main thread via ``_thread.interrupt_main``).
"""

from __future__ import annotations

import os
from typing import Any, Callable, Optional

__all__ = ["allow_interrupt"]


class allow_interrupt:
    """Context manager that lets Ctrl-C interrupt a blocking zmq call (Windows only)."""

    def __init__(self, action: Optional[Callable[[], Any]] = None) -> None:
        self._action = action
        self._handler: Any = None

    def __enter__(self) -> allow_interrupt:
        if os.name != "nt":
            return self
        import _thread
        import ctypes
        from ctypes import wintypes

        action = self._action or _thread.interrupt_main
        handler_type = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)  # type: ignore[attr-defined]

        def handle(event: int) -> bool:
            if event == 0:  # CTRL_C_EVENT
                action()
            return False  # let other handlers run too

        self._handler = handler_type(handle)
        ctypes.windll.kernel32.SetConsoleCtrlHandler(self._handler, True)  # type: ignore[attr-defined]
        return self

    def __exit__(self, *args: object) -> None:
        if self._handler is not None:
            import ctypes

            ctypes.windll.kernel32.SetConsoleCtrlHandler(self._handler, False)  # type: ignore[attr-defined]
            self._handler = None
