"""Socket options as attributes and through set/get, for every value type."""

from __future__ import annotations

import pytest

import zmq


def test_int_option(socket):
    s = socket(zmq.DEALER)
    s.linger = 250
    assert s.linger == 250
    assert s.LINGER == 250  # upper-case names work too
    assert s.getsockopt(zmq.LINGER) == 250
    s.setsockopt(zmq.LINGER, 0)
    assert s.get(zmq.LINGER) == 0
    s.set(zmq.SocketOption.RCVTIMEO, 42)
    assert s.rcvtimeo == 42


def test_int64_option(socket):
    s = socket(zmq.DEALER)
    s.maxmsgsize = 2**40
    assert s.maxmsgsize == 2**40
    s.affinity = 2**62
    assert s.getsockopt(zmq.AFFINITY) == 2**62


def test_bytes_option(socket):
    s = socket(zmq.DEALER)
    s.routing_id = b"id\x00with nul"
    assert s.routing_id == b"id\x00with nul"
    assert s.identity == b"id\x00with nul"  # the old name of the same option
    with pytest.raises(TypeError):
        s.routing_id = "str is not bytes"
    s.setsockopt_string(zmq.ROUTING_ID, "ünïcode")
    assert s.getsockopt_string(zmq.ROUTING_ID) == "ünïcode"
    s.set_string(zmq.ROUTING_ID, "x", encoding="utf-16-le")
    assert s.get_string(zmq.ROUTING_ID, encoding="utf-16-le") == "x"
    s.setsockopt_unicode(zmq.ROUTING_ID, "alias")
    assert s.getsockopt_unicode(zmq.ROUTING_ID) == "alias"
    with pytest.raises(TypeError):
        s.set_string(zmq.ROUTING_ID, b"bytes")
    with pytest.raises(TypeError):
        s.get_string(zmq.LINGER)  # an int option has no string form


def test_string_valued_options(socket):
    s = socket(zmq.PULL)
    s.bind("tcp://127.0.0.1:*")
    endpoint = s.last_endpoint
    assert isinstance(endpoint, bytes) and endpoint.startswith(b"tcp://127.0.0.1:")
    assert s.get_string(zmq.LAST_ENDPOINT) == endpoint.decode()
    s.zap_domain = b"global"
    assert s.zap_domain == b"global"


def test_fd_option(socket):
    s = socket(zmq.PULL)
    assert isinstance(s.fd, int) and s.fd >= 0
    assert s.fileno() == s.fd == s.FD


def test_read_only_options(socket):
    s = socket(zmq.SUB)
    assert s.type == zmq.SUB and isinstance(s.type, zmq.SocketType)
    assert s.events == 0
    assert s.rcvmore == 0
    with pytest.raises(zmq.ZMQError) as info:
        s.rcvmore = 1
    assert info.value.errno == zmq.EINVAL


def test_write_only_option_reads_as_attribute_error(socket):
    s = socket(zmq.ROUTER)
    with pytest.raises(AttributeError, match="write-only"):
        s.connect_routing_id  # noqa: B018


def test_subscribe_as_attribute(bound_pair):
    pub, sub = bound_pair(zmq.PUB, zmq.SUB, "inproc")
    sub.subscribe = "topic"  # assignment sets the option despite subscribe() existing
    while not sub.poll(20):
        pub.send(b"topic sync")
    assert sub.recv().startswith(b"topic")
    sub.unsubscribe = b"topic"
    assert callable(sub.subscribe)


def test_hwm_sets_both(socket):
    s = socket(zmq.DEALER)
    s.hwm = 7
    assert s.sndhwm == 7 and s.rcvhwm == 7
    assert s.hwm == 7
    s.set_hwm(9)
    assert s.get_hwm() == 9
    s.rcvhwm = 3
    assert s.hwm == 9  # hwm reads SNDHWM


def test_unknown_attribute_and_option(socket):
    s = socket(zmq.PUSH)
    with pytest.raises(AttributeError):
        s.not_an_option  # noqa: B018
    with pytest.raises(AttributeError):
        s.not_an_option = 1
    with pytest.raises(zmq.ZMQError) as info:
        s.set(9999, 1)
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError) as info:
        s.get(9999)
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(TypeError):
        s.linger = "ten"
    with pytest.raises(TypeError):
        s.routing_id = 5


def test_private_and_class_attributes_are_plain(socket):
    s = socket(zmq.PUSH)
    s._my_private = 1
    assert s._my_private == 1
    s.copy_threshold = 10
    assert s.copy_threshold == 10
    assert "linger" in dir(s) and "routing_id" in dir(s)


def test_socket_type_is_deprecated_alias_of_type(socket):
    s = socket(zmq.PULL)
    assert s.type == zmq.PULL and type(s.type) is zmq.SocketType
    with pytest.warns(DeprecationWarning, match=r"Socket\.type") as record:
        assert s.socket_type is s.type
    assert record[0].filename == __file__  # points at the caller
    with pytest.raises(AttributeError):
        s.socket_type = zmq.PUSH
    with pytest.raises(AttributeError):
        s.type = zmq.PUSH
    shadow: zmq.Socket[bytes] = zmq.Socket.shadow(s.underlying)
    assert shadow.type == zmq.PULL
