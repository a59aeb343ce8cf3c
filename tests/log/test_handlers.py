"""zmq.log.handlers: log records published by PUBHandler reach a SUB socket with the
expected topics and text."""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import zmq
from zmq.log.handlers import TOPIC_DELIM, PUBHandler, TopicLogger

TIMEOUT_MS = 10_000


class Wire:
    """A PUBHandler on a logger of its own, and a SUB socket that sees its output."""

    def __init__(self, context: zmq.Context, handler: PUBHandler) -> None:
        self.handler = handler
        self.logger = logging.getLogger(f"test.zmq.log.{uuid.uuid4().hex}")
        self.logger.propagate = False
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(handler)
        self.sub = context.socket(zmq.SUB)
        self.sub.linger = 0
        self.sub.rcvtimeo = TIMEOUT_MS
        self.sub.subscribe(b"")
        self.sub.connect(handler.socket.get_string(zmq.LAST_ENDPOINT))
        # a subscription reaches the PUB asynchronously: log until one record arrives
        while True:
            self.logger.critical("sync")
            if self.sub.poll(100):
                break
        while self.sub.poll(50):
            self.sub.recv_multipart()

    def recv(self) -> list[bytes]:
        return self.sub.recv_multipart()

    def close(self) -> None:
        self.logger.removeHandler(self.handler)


@pytest.fixture
def wire(context: zmq.Context) -> Iterator[Wire]:
    pub = context.socket(zmq.PUB)
    pub.linger = 0
    pub.bind("tcp://127.0.0.1:*")
    w = Wire(context, PUBHandler(pub))
    yield w
    w.close()


def test_levels_and_default_formats(wire: Wire) -> None:
    wire.logger.info("hello %s", "world")
    assert wire.recv() == [b"INFO", b"hello world\n"]
    wire.logger.debug("details")
    topic, text = wire.recv()
    assert topic == b"DEBUG"
    assert text.startswith(b"DEBUG test_handlers.py:") and text.endswith(b" - details\n")
    wire.logger.warning("careful")
    assert wire.recv()[0] == b"WARNING"
    try:
        raise KeyError("lost")
    except KeyError:
        wire.logger.exception("failed")
    topic, text = wire.recv()
    assert topic == b"ERROR"
    assert b" - failed - (" in text and b"KeyError: 'lost'" in text


def test_subtopic_and_root_topic(wire: Wire) -> None:
    record_seen: list[str] = []

    class Spy(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            record_seen.append(record.getMessage())

    wire.logger.addHandler(Spy())
    wire.logger.info("db.query::took %d ms", 3)
    assert wire.recv() == [b"INFO.db.query", b"took 3 ms\n"]
    assert record_seen == ["db.query::took 3 ms"]  # other handlers see the record unchanged
    wire.handler.root_topic = "app"
    assert wire.handler.root_topic == "app"
    wire.logger.info("plain")
    assert wire.recv() == [b"app.INFO", b"plain\n"]
    wire.handler.setRootTopic("svc")
    wire.logger.error("io::disk full")
    topic, text = wire.recv()
    assert topic == b"svc.ERROR.io"
    assert text.endswith(b" - disk full - None\n")
    wire.handler.root_topic = b"raw"  # bytes are taken as UTF-8, as pyzmq does
    assert wire.handler.root_topic == "raw"
    wire.logger.info("bytes topic")
    assert wire.recv() == [b"raw.INFO", b"bytes topic\n"]


def test_subscription_filters_by_level(wire: Wire) -> None:
    wire.sub.unsubscribe(b"")
    wire.sub.subscribe(b"ERROR")
    # the new subscription is in place once an ERROR record arrives
    while True:
        wire.logger.error("sync")
        if wire.sub.poll(100):
            break
    while wire.sub.poll(50):
        wire.recv()
    wire.logger.info("not for us")
    wire.logger.error("for us")
    assert wire.recv()[0] == b"ERROR"
    assert wire.sub.poll(100) == 0


def test_set_formatter(wire: Wire) -> None:
    wire.handler.setFormatter(logging.Formatter("[%(message)s]"), logging.INFO)
    wire.logger.info("a")
    assert wire.recv() == [b"INFO", b"[a]"]
    wire.logger.warning("b")
    assert wire.recv()[1].startswith(b"WARNING ")
    wire.handler.setFormatter(logging.Formatter("<%(levelname)s %(message)s>"))
    wire.logger.warning("c")
    assert wire.recv() == [b"WARNING", b"<WARNING c>"]
    wire.logger.log(25, "custom level")  # no formatter of its own: uses INFO's
    assert wire.recv() == [b"Level 25", b"<Level 25 custom level>"]


def test_topic_logger(wire: Wire) -> None:
    logger = TopicLogger(f"topic.{uuid.uuid4().hex}")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(wire.handler)
    wire.handler.setFormatter(logging.Formatter("%(message)s@%(lineno)d"))
    logger.info("net.rx", "got %d bytes", 12)
    line = inspect.currentframe().f_lineno - 1  # type: ignore[union-attr]
    assert wire.recv() == [b"INFO.net.rx", b"got 12 bytes@%d" % line]
    logger.warn("a", "w")
    assert wire.recv()[0] == b"WARNING.a"
    logger.fatal("b", "f")
    assert wire.recv()[0] == b"CRITICAL.b"
    logger.log("error", "c", "by name")
    assert wire.recv()[0] == b"ERROR.c"
    logger.debug("d", "dbg")
    assert wire.recv()[0] == b"DEBUG.d"
    try:
        raise ZeroDivisionError
    except ZeroDivisionError:
        logger.exception("e", "boom")
    topic, text = wire.recv()
    assert topic == b"ERROR.e" and text.startswith(b"boom@")
    with pytest.raises(ValueError):
        logger.log("nonsense", "x", "y")
    assert TOPIC_DELIM == "::"


def test_handler_binds_interface(context: zmq.Context) -> None:
    handler = PUBHandler("tcp://127.0.0.1:*", context=context, root_topic="root")
    assert handler.ctx is context
    assert handler.socket.type == zmq.PUB
    handler.socket.linger = 0
    w = Wire(context, handler)
    w.logger.info("bound")
    assert w.recv() == [b"root.INFO", b"bound\n"]
    w.close()


def test_send_failure_is_reported_not_raised(
    context: zmq.Context, capsys: Any, monkeypatch: Any
) -> None:
    pub = context.socket(zmq.PUB)
    handler = PUBHandler(pub)
    pub.close()
    monkeypatch.setattr(logging, "raiseExceptions", True)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "lost", None, None)
    handler.emit(record)  # logging's handleError prints the error instead of raising
    assert "ZMQError" in capsys.readouterr().err
