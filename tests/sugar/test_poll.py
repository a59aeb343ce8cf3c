"""Poller and zmq.select over zmq sockets and plain file descriptors."""

from __future__ import annotations

import os
import socket as pysocket

import pytest

import zmq


@pytest.fixture
def pipe():
    r, w = os.pipe()
    yield r, w
    os.close(r)
    os.close(w)


def test_poller_mixed_sockets_and_fds(push_pull, pipe):
    push, pull = push_pull
    r, w = pipe
    a, b = pysocket.socketpair()
    with a, b:
        poller = zmq.Poller()
        poller.register(pull, zmq.POLLIN)
        poller.register(r, zmq.POLLIN)
        poller.register(a)  # an object with fileno(), default POLLIN|POLLOUT
        assert pull in poller and r in poller and a in poller
        # anything but a zmq socket is reported by the fd that was polled, as in pyzmq
        assert dict(poller.poll(1000)) == {a.fileno(): zmq.POLLOUT}  # only a is writable
        poller.modify(a, zmq.POLLIN)
        assert poller.poll(0) == []
        push.send(b"zmq")
        os.write(w, b"fd")
        b.sendall(b"sock")
        ready: dict = {}
        while len(ready) < 3:  # events become visible independently
            ready.update(poller.poll(10_000))
        assert ready == {pull: zmq.POLLIN, r: zmq.POLLIN, a.fileno(): zmq.POLLIN}
        assert pull.recv() == b"zmq" and os.read(r, 2) == b"fd" and a.recv(4) == b"sock"
        poller.unregister(r)
        assert r not in poller
        poller.register(a, 0)  # flags 0 unregisters
        assert a not in poller
        assert [s for s, _ in poller.sockets] == [pull]
        with pytest.raises(KeyError):
            poller.unregister(r)


def test_poller_timeouts(push_pull):
    push, pull = push_pull
    poller = zmq.Poller()
    poller.register(pull, zmq.POLLIN)
    assert poller.poll(0) == []
    assert poller.poll(1.5) == []  # a float of milliseconds is accepted
    push.send(b"x")
    assert poller.poll(None) == [(pull, zmq.POLLIN)]
    assert poller.poll(-1) == [(pull, zmq.POLLIN)]


def test_poller_bad_input(socket):
    poller = zmq.Poller()
    poller.register("not pollable", zmq.POLLIN)
    with pytest.raises(TypeError):
        poller.poll(0)
    closed = socket(zmq.PULL)
    closed.close()
    poller = zmq.Poller()
    poller.register(closed, zmq.POLLIN)
    with pytest.raises(zmq.ZMQError) as info:
        poller.poll(0)
    assert info.value.errno == zmq.ENOTSOCK


def test_select(push_pull, pipe):
    push, pull = push_pull
    r, w = pipe
    assert zmq.select([pull, r], [], [], timeout=0) == ([], [], [])
    writable: set = set()
    while len(writable) < 2:  # push becomes writable once its connection is up
        rlist, wlist, xlist = zmq.select([pull], [push, w], [], timeout=10)
        assert rlist == [] and xlist == []
        writable.update(wlist)
    assert writable == {push, w}
    push.send(b"x")
    os.write(w, b"y")
    readable: set = set()
    while len(readable) < 2:
        readable.update(zmq.select([pull, r], [], [], timeout=10)[0])
    assert readable == {pull, r}


def test_file_objects_are_reported_by_fd(pipe):
    r, w = pipe
    with os.fdopen(os.dup(w), "wb") as wfile:
        poller = zmq.Poller()
        poller.register(wfile, zmq.POLLOUT)
        assert wfile in poller  # registered (and unregistered) as the object itself
        assert poller.poll(1000) == [(wfile.fileno(), zmq.POLLOUT)]
        assert zmq.select([], [wfile], [], timeout=1) == ([], [wfile.fileno()], [])
        assert zmq.zmq_poll([(wfile, zmq.POLLOUT)], 1000) == [(wfile.fileno(), zmq.POLLOUT)]
        poller.unregister(wfile)
        assert poller.poll(0) == []
