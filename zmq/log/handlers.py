"""A logging handler that publishes records on a ZeroMQ PUB socket.

Each record goes out as two frames, ``[topic, message]``. The topic is
``<root_topic>.<LEVELNAME>.<subtopic>`` (empty parts left out), where the subtopic is
whatever precedes ``::`` in the log message: ``log.info("db.query::took %d ms", 3)``
is published as ``[b"INFO.db.query", b"took 3 ms\\n"]``. Subscribers filter by topic
prefix, e.g. ``sub.subscribe(b"ERROR")``.
"""

from __future__ import annotations

import copy
import logging
import sys
from typing import Any, Dict, Optional, Union

import zmq

#: separates the subtopic from the message text in a log message
TOPIC_DELIM = "::"

# TopicLogger's methods call Logger._log through two frames of this module, where
# Logger's own methods use one. Since 3.11 stacklevel counts only frames outside the
# logging module (both of ours); before, it counts frames beyond the first caller.
_EXTRA_STACKLEVEL = 2 if sys.version_info >= (3, 11) else 1

_LOCATED = "%(levelname)s %(filename)s:%(lineno)d - %(message)s\n"
_WITH_EXC = "%(levelname)s %(filename)s:%(lineno)d - %(message)s - %(exc_info)s\n"
_DEFAULT_FORMATS = {
    logging.DEBUG: _LOCATED,
    logging.INFO: "%(message)s\n",
    logging.WARNING: _LOCATED,
    logging.ERROR: _WITH_EXC,
    logging.CRITICAL: _WITH_EXC,
}


class PUBHandler(logging.Handler):
    """Publish log records on a PUB socket: ``PUBHandler(sock)`` with a socket you
    created and bound, or ``PUBHandler("tcp://127.0.0.1:5555")`` to create a PUB socket
    (in ``context`` or a new Context) bound there.

    Each level has its own formatter (``formatters``, keyed by level number); by default
    INFO sends only the message and the other levels add level name, file and line.
    """

    socket: zmq.Socket
    ctx: zmq.Context
    formatters: Dict[int, logging.Formatter]

    def __init__(
        self,
        interface_or_socket: Union[str, zmq.Socket],
        context: Optional[zmq.Context] = None,
        root_topic: str = "",
    ) -> None:
        logging.Handler.__init__(self)
        self.root_topic = root_topic
        self.formatters = {level: logging.Formatter(fmt) for level, fmt in _DEFAULT_FORMATS.items()}
        if isinstance(interface_or_socket, zmq.Socket):
            self.socket = interface_or_socket
            self.ctx = self.socket.context
        else:
            self.ctx = context or zmq.Context()
            self.socket = self.ctx.socket(zmq.PUB)
            self.socket.bind(interface_or_socket)

    @property
    def root_topic(self) -> str:
        """Prefix of every published topic ("" for none)."""
        return self._root_topic

    @root_topic.setter
    def root_topic(self, value: Union[str, bytes]) -> None:
        self.setRootTopic(value)

    def setRootTopic(self, root_topic: Union[str, bytes]) -> None:
        """Set :attr:`root_topic` (str, or UTF-8 bytes). Subscribers must subscribe to a
        prefix of it (or to everything) to receive this handler's records."""
        if isinstance(root_topic, bytes):
            root_topic = root_topic.decode("utf-8")
        self._root_topic = root_topic

    def setFormatter(self, fmt: Optional[logging.Formatter], level: int = logging.NOTSET) -> None:
        """Use ``fmt`` for records of ``level``, or for every level if ``level`` is
        NOTSET (replacing all per-level formatters)."""
        formatter = fmt or logging.Formatter()
        if level == logging.NOTSET:
            for known in list(self.formatters):
                self.formatters[known] = formatter
        else:
            self.formatters[level] = formatter

    def format(self, record: logging.LogRecord) -> str:
        """Format with the formatter of the record's level; a level without its own
        formatter (e.g. a custom level 25) uses that of the nearest level below it."""
        below = [level for level in self.formatters if level <= record.levelno]
        level = max(below) if below else min(self.formatters)
        return self.formatters[level].format(record)

    def emit(self, record: logging.LogRecord) -> None:
        """Publish ``[topic, formatted message]`` (UTF-8) on the socket."""
        subtopic, sep, text = str(record.msg).partition(TOPIC_DELIM)
        if sep:
            # other handlers see the record unchanged
            record = copy.copy(record)
            record.msg = text
        else:
            subtopic = ""
        try:
            message = self.format(record).encode("utf-8")
            parts = [self.root_topic, record.levelname, subtopic]
            topic = ".".join(part for part in parts if part).encode("utf-8")
            self.socket.send_multipart([topic, message])
        except Exception:
            self.handleError(record)


class TopicLogger(logging.Logger):
    """A Logger whose methods take a topic before the message, for :class:`PUBHandler`:
    ``logger.info("db.query", "took %d ms", 3)`` logs ``"db.query::took 3 ms"``."""

    def _topic_log(self, level: int, topic: str, msg: str, args: Any, kwargs: Any) -> None:
        if self.isEnabledFor(level):
            # report the line that called the TopicLogger method
            kwargs["stacklevel"] = kwargs.get("stacklevel", 1) + _EXTRA_STACKLEVEL
            self._log(level, f"{topic}{TOPIC_DELIM}{msg}", args, **kwargs)

    def log(  # type: ignore[override]
        self, level: Union[int, str], topic: str, msg: str, *args: Any, **kwargs: Any
    ) -> None:
        """Log ``msg % args`` under ``topic`` at ``level`` (a number or a level name)."""
        if isinstance(level, str):
            number = logging.getLevelName(level.upper())
            if not isinstance(number, int):
                raise ValueError(f"Unknown logging level: {level!r}")
            level = number
        self._topic_log(level, topic, msg, args, kwargs)

    def debug(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.DEBUG, topic, msg, args, kwargs)

    def info(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.INFO, topic, msg, args, kwargs)

    def warning(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.WARNING, topic, msg, args, kwargs)

    warn = warning  # type: ignore[assignment]

    def error(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.ERROR, topic, msg, args, kwargs)

    def exception(  # type: ignore[override]
        self, topic: str, msg: str, *args: Any, exc_info: Any = True, **kwargs: Any
    ) -> None:
        self._topic_log(logging.ERROR, topic, msg, args, dict(kwargs, exc_info=exc_info))

    def critical(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.CRITICAL, topic, msg, args, kwargs)

    fatal = critical  # type: ignore[assignment]


__all__ = ["PUBHandler", "TopicLogger", "TOPIC_DELIM"]
