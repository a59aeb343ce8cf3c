"""zmq.utils: z85, jsonapi, monitor parsing, strtypes, interop, garbage, win32, stopwatch."""

from __future__ import annotations

import ctypes
import importlib
import struct
import sys
import threading

import pytest

import zmq
from zmq.utils import interop, jsonapi, monitor, z85


def test_z85_rfc_vector():
    raw = bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
    assert z85.encode(raw) == b"HelloWorld"
    assert z85.decode(b"HelloWorld") == raw
    assert z85.decode("HelloWorld") == raw


def test_z85_round_trip_and_curve_keys():
    data = bytes(range(256))
    assert z85.decode(z85.encode(data)) == data
    public, secret = zmq.curve_keypair()
    assert len(public) == len(secret) == 40
    assert len(z85.decode(public)) == 32
    assert zmq.curve_public(secret) == public


def test_z85_bad_input():
    with pytest.raises(ValueError):
        z85.encode(b"abc")
    with pytest.raises(ValueError):
        z85.decode(b"abcd")
    with pytest.raises(ValueError):
        z85.decode(b"abc d")  # space is not in the alphabet
    with pytest.raises(ValueError):
        z85.decode(b"#####")  # decodes past 2**32


def test_jsonapi():
    assert jsonapi.dumps({"a": "é"}) == b'{"a": "\\u00e9"}'
    assert jsonapi.dumps({"a": "é"}, ensure_ascii=False) == '{"a": "é"}'.encode()
    for raw in (b'{"a": 1}', '{"a": 1}', bytearray(b'{"a": 1}'), memoryview(b'{"a": 1}')):
        assert jsonapi.loads(raw) == {"a": 1}
    assert jsonapi.loads(b"1.5", parse_float=str) == "1.5"
    with pytest.raises(TypeError):
        jsonapi.dumps(object())
    # code written for older pyzmq checks which JSON library is in use
    assert jsonapi.jsonmod.loads(jsonapi.dumps([1, "x"])) == [1, "x"]


def test_parse_monitor_message():
    first = struct.pack("=Hi", zmq.EVENT_CONNECTED, 17)
    for endpoint in (b"tcp://127.0.0.1:5", zmq.Frame(b"tcp://127.0.0.1:5")):
        event = monitor.parse_monitor_message([first, endpoint])
        assert event == {
            "event": zmq.EVENT_CONNECTED,
            "value": 17,
            "endpoint": b"tcp://127.0.0.1:5",
        }
        assert isinstance(event["event"], zmq.Event)
    with pytest.raises(RuntimeError):
        monitor.parse_monitor_message([first])
    with pytest.raises(RuntimeError):
        monitor.parse_monitor_message([b"short", b"x"])


def test_strtypes_is_deprecated_but_works():
    sys.modules.pop("zmq.utils.strtypes", None)
    with pytest.warns(DeprecationWarning):
        strtypes = importlib.import_module("zmq.utils.strtypes")
    assert strtypes.cast_bytes("é") == "é".encode()
    assert strtypes.cast_unicode(b"\xc3\xa9") == "é"
    assert strtypes.cast_bytes(b"x") == b"x" and strtypes.cast_unicode("x") == "x"
    assert strtypes.unicode is str and strtypes.bytes is bytes
    with pytest.raises(TypeError):
        strtypes.cast_bytes(5)


def test_cast_int_addr():
    assert interop.cast_int_addr(1234) == 1234
    assert interop.cast_int_addr(ctypes.c_void_p(4321)) == 4321
    value = ctypes.c_int(5)
    assert interop.cast_int_addr(ctypes.pointer(value)) == ctypes.addressof(value)
    cffi = pytest.importorskip("cffi")
    ffi = cffi.FFI()
    assert interop.cast_int_addr(ffi.cast("void *", 99)) == 99
    with pytest.raises(ValueError):
        interop.cast_int_addr("0x10")


def test_garbage_compat():
    from zmq.utils.garbage import GarbageCollector, gc

    assert isinstance(gc, GarbageCollector)
    collector = GarbageCollector()
    event = threading.Event()
    obj = object()
    key = collector.store(obj, event)
    assert collector.is_alive() and collector.refs[key].obj is obj
    other = collector.store(b"data")
    assert other != key
    collector.release(key)
    assert event.is_set() and key not in collector.refs
    collector.stop()
    assert collector.refs == {} and not collector.is_alive()


def test_garbage_collector_releases_when_collected(gc_collect):
    from zmq.utils.garbage import GarbageCollector

    ctx = object()
    collector = GarbageCollector(ctx)
    assert collector.context is ctx and GarbageCollector.context is None
    event = threading.Event()
    collector.store(b"held", event)
    del collector
    gc_collect()
    assert event.is_set()


def test_allow_interrupt_is_usable():
    from zmq.utils.win32 import allow_interrupt

    with allow_interrupt():
        pass
    with allow_interrupt(lambda: None):
        pass
    # like any context manager, also when __exit__ is called directly with exc_info
    guard = allow_interrupt()
    assert guard.__enter__() is guard
    guard.__exit__(None, None, None)


def test_stopwatch_is_deprecated():
    from zmq.sugar.stopwatch import Stopwatch

    assert zmq.Stopwatch is Stopwatch
    with pytest.warns(DeprecationWarning, match="time.monotonic") as record:
        watch = Stopwatch()
    assert record[0].filename == __file__
    with pytest.raises(zmq.ZMQError):
        watch.stop()
    watch.start()
    assert watch.stop() >= 0
