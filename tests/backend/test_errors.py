"""zmq.error: pyzmq's exception hierarchy, and the backend raising the right class."""

from __future__ import annotations

import errno
import pickle

import pytest

from zmq import backend
from zmq.constants import Errno, Flag, SocketType
from zmq.error import (
    Again,
    ContextTerminated,
    InterruptedSystemCall,
    NotDone,
    ZMQBaseError,
    ZMQBindError,
    ZMQError,
    ZMQVersionError,
    _check_rc,
    _check_version,
)


def test_hierarchy() -> None:
    assert issubclass(ZMQError, ZMQBaseError)
    for cls in (Again, ContextTerminated, InterruptedSystemCall):
        assert issubclass(cls, ZMQError)
    assert issubclass(InterruptedSystemCall, InterruptedError)
    assert issubclass(NotDone, ZMQBaseError) and issubclass(ZMQBindError, ZMQBaseError)
    assert issubclass(ZMQVersionError, NotImplementedError)


def test_zmq_error_fields() -> None:
    e = ZMQError(errno.EINVAL)
    assert e.errno == errno.EINVAL
    assert e.strerror == backend.strerror(errno.EINVAL) == str(e)
    assert type(ZMQError(errno.EAGAIN)) is ZMQError  # the constructor never dispatches
    custom = ZMQError(errno.EINVAL, "custom text")
    assert str(custom) == "custom text" and custom.errno == errno.EINVAL
    assert repr(custom) == "ZMQError('custom text')"
    assert ZMQError("no errno").errno is None
    copy = pickle.loads(pickle.dumps(e))
    assert (type(copy), copy.errno, str(copy)) == (ZMQError, e.errno, str(e))


def test_fixed_errno_classes() -> None:
    assert Again().errno == errno.EAGAIN
    assert ContextTerminated().errno == Errno.ETERM
    assert InterruptedSystemCall().errno == errno.EINTR
    assert "retried" in str(InterruptedSystemCall())
    # arguments are accepted and ignored (pyzmq's defaults are the string "ignored")
    again = Again(errno.EINVAL, "other text")
    assert again.errno == errno.EAGAIN and str(again) == str(Again())


def test_check_rc() -> None:
    _check_rc(0)
    with pytest.raises(Again):
        _check_rc(-1, errno.EAGAIN)
    with pytest.raises(ContextTerminated):
        _check_rc(-1, Errno.ETERM)
    with pytest.raises(ZMQError) as info:
        _check_rc(-1, errno.EINVAL)
    assert type(info.value) is ZMQError
    _check_rc(-1, 0, error_without_errno=False)


def test_check_version() -> None:
    _check_version((3, 0), "old feature")
    with pytest.raises(ZMQVersionError) as info:
        _check_version((99, 0), "future feature")
    assert info.value.min_version == "99.0"
    assert "future feature requires libzmq >= 99.0" in str(info.value)


def test_backend_raises_subclasses() -> None:
    ctx = backend.Context()
    sock = backend.Socket(ctx, SocketType.PULL)
    with pytest.raises(Again):
        sock.recv(Flag.DONTWAIT)
    sock.close()
    ctx.term()
    with pytest.raises(ContextTerminated):
        backend.Socket(ctx, SocketType.PULL)
    assert isinstance(backend.zmq_errno(), int)
    assert backend.strerror(Errno.ETERM) == "Context was terminated"
