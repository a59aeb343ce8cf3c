"""Socket construction, bind/connect helpers, shadows, polling and monitoring."""

from __future__ import annotations

import copy
import threading

import pytest

import zmq
from zmq.utils.monitor import recv_monitor_message


def test_socket_from_context_and_constructor(context):
    with context.socket(zmq.PUSH) as s:
        assert isinstance(s, zmq.Socket)
        assert s.context is context
        assert s.type == zmq.PUSH
    assert s.closed
    s2 = zmq.Socket(context, zmq.PULL)
    assert s2.type == zmq.PULL and s2.context is context
    s2.close()


def test_socket_on_a_backend_context():
    ctx = zmq.backend.Context()
    # accepted at run time; the typed signatures (like pyzmq's) name only zmq.Context
    s = zmq.Socket(ctx, zmq.PAIR)  # type: ignore[call-overload]
    assert s.type == zmq.PAIR
    s.close()
    ctx.term()


def test_socket_class_and_kwargs(context):
    class MySocket(zmq.Socket):
        pass

    s = context.socket(zmq.PUSH, socket_class=MySocket, copy_threshold=123)
    assert type(s) is MySocket and s.copy_threshold == 123
    s.close()

    class MyContext(zmq.Context):
        _socket_class = MySocket

    with MyContext() as ctx:
        with ctx.socket(zmq.PUSH) as s:
            assert type(s) is MySocket


def test_bad_socket_type(context):
    with pytest.raises(zmq.ZMQError) as info:
        context.socket(12345)
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(TypeError):
        context.socket("PUSH")


def test_repr(context):
    s = context.socket(zmq.ROUTER)
    assert repr(s).startswith("<zmq.Socket(zmq.ROUTER) at 0x")
    s.close()
    assert repr(s).endswith(" closed>")

    class Sub(zmq.Socket):
        pass

    s = context.socket(zmq.PUB, socket_class=Sub)
    assert f"{__name__}.Sub(zmq.PUB)" in repr(s)
    s.close()


def test_bind_and_connect_context_managers(socket):
    a, b = socket(zmq.PAIR), socket(zmq.PAIR)
    with a.bind("inproc://cm") as bound:
        assert bound is a
        with b.connect("inproc://cm") as connected:
            assert connected is b
        with pytest.raises(zmq.ZMQError) as info:
            b.disconnect("inproc://cm")  # the context manager already disconnected
        assert info.value.errno == zmq.ENOENT
    other = socket(zmq.PAIR)
    other.bind("inproc://cm")  # free again: the context manager unbound it


def test_bind_wildcard_context_manager_unbinds_real_endpoint(socket):
    s = socket(zmq.PULL)
    with s.bind("tcp://127.0.0.1:*") as cm_socket:
        endpoint = cm_socket.last_endpoint.decode()
        assert not endpoint.endswith(":*")
    with pytest.raises(zmq.ZMQError) as info:
        s.unbind(endpoint)
    assert info.value.errno == zmq.ENOENT


def test_bind_error_names_the_address(socket):
    s = socket(zmq.PUSH)
    with pytest.raises(zmq.ZMQError) as info:
        s.bind("tcp://not-an-address")
    assert "tcp://not-an-address" in str(info.value)
    with pytest.raises(zmq.ZMQError) as info:
        s.connect("bogus://x")
    assert info.value.errno == zmq.EPROTONOSUPPORT
    # libzmq's text, then the address once, in pyzmq's wording
    assert str(info.value) == f"{zmq.strerror(zmq.EPROTONOSUPPORT)} (addr='bogus://x')"
    with pytest.raises(zmq.ZMQError) as info:
        s.unbind(b"tcp://127.0.0.1:1")
    assert str(info.value).count("tcp://127.0.0.1:1") == 1


def test_bind_to_random_port_system_pick(socket, context):
    s = socket(zmq.PULL)
    port = s.bind_to_random_port("tcp://127.0.0.1")
    assert 0 < port < 65536
    assert s.last_endpoint.decode() == f"tcp://127.0.0.1:{port}"
    push = socket(zmq.PUSH)
    push.connect(f"tcp://127.0.0.1:{port}")
    push.send(b"reached")
    s.rcvtimeo = 10_000
    assert s.recv() == b"reached"


def test_bind_to_random_port_explicit_range(socket):
    s = socket(zmq.PULL)
    port = s.bind_to_random_port("tcp://127.0.0.1", min_port=40000, max_port=41000, max_tries=50)
    assert 40000 <= port < 41000
    assert s.last_endpoint.decode() == f"tcp://127.0.0.1:{port}"


def test_bind_to_random_port_gives_up(socket):
    taken = socket(zmq.PULL)
    port = taken.bind_to_random_port("tcp://127.0.0.1")
    s = socket(zmq.PULL)
    with pytest.raises(zmq.ZMQBindError):
        s.bind_to_random_port("tcp://127.0.0.1", min_port=port, max_port=port + 1, max_tries=3)


def test_bind_to_random_port_other_errors_propagate(socket):
    s = socket(zmq.PULL)
    with pytest.raises(zmq.ZMQError) as info:
        s.bind_to_random_port("tcp://no-such-interface-xyz", min_port=40000, max_port=40010)
    assert not isinstance(info.value, zmq.ZMQBindError)


def test_shadow_socket(context, socket, gc_collect):
    a = socket(zmq.PAIR)
    a.rcvtimeo = 10_000
    a.bind("inproc://shadowed")
    for shadow in (
        zmq.Socket.shadow(a.underlying),
        zmq.Socket(a),
        zmq.Socket(shadow=a),
        copy.copy(a),
        copy.deepcopy(a),
    ):
        assert shadow is not a
        assert shadow.underlying == a.underlying
        assert shadow.type == zmq.PAIR
    shadow = zmq.Socket(a)
    assert shadow.context is context  # shadowing a Socket keeps its context
    b = socket(zmq.PAIR)
    b.connect("inproc://shadowed")
    b.send(b"via original")
    assert shadow.recv() == b"via original"
    del shadow
    gc_collect()
    b.send(b"still open")  # dropping a shadow never closes the real socket
    assert a.recv() == b"still open"


def test_poll(push_pull):
    push, pull = push_pull
    assert pull.poll(0) == 0
    assert push.poll(10_000, zmq.POLLOUT) == zmq.POLLOUT
    push.send(b"x")
    assert pull.poll(10_000) == zmq.POLLIN
    assert pull.poll(None, zmq.POLLIN | zmq.POLLOUT) == zmq.POLLIN
    pull.recv()
    assert pull.poll(0) == 0


def test_get_monitor_socket_reports_events(socket):
    server, client = socket(zmq.PULL), socket(zmq.PUSH)
    server_monitor = server.get_monitor_socket()
    client_monitor = client.get_monitor_socket(zmq.EVENT_CONNECTED | zmq.EVENT_CONNECT_DELAYED)
    assert server.get_monitor_socket() is server_monitor  # cached
    for m in (server_monitor, client_monitor):
        m.rcvtimeo = 10_000
    server.bind("tcp://127.0.0.1:*")
    endpoint = server.last_endpoint
    client.connect(endpoint.decode())

    def wait_for(monitor, wanted):
        seen = []
        while wanted not in seen:
            event = recv_monitor_message(monitor)
            assert isinstance(event["event"], zmq.Event) and isinstance(event["value"], int)
            if event["event"] in (zmq.EVENT_LISTENING, zmq.EVENT_ACCEPTED, zmq.EVENT_CONNECTED):
                assert event["endpoint"] == endpoint or event["endpoint"].startswith(b"tcp://")
            seen.append(event["event"])
        return seen

    seen = wait_for(server_monitor, zmq.EVENT_ACCEPTED)
    assert seen[0] == zmq.EVENT_LISTENING
    seen = wait_for(client_monitor, zmq.EVENT_CONNECTED)
    assert set(seen) <= {zmq.EVENT_CONNECTED, zmq.EVENT_CONNECT_DELAYED}
    server.disable_monitor()
    wait_for(server_monitor, zmq.EVENT_MONITOR_STOPPED)
    assert server.get_monitor_socket() is not server_monitor
    server.disable_monitor()


def test_garbage_collected_socket_is_closed_with_a_warning(Context, gc_collect):
    context = Context()  # not the fixture's: that one keeps its sockets alive
    s = context.socket(zmq.PUSH)
    s.linger = -1
    s.connect("inproc://nobody-home")
    s.send(b"pending forever")
    with pytest.warns(ResourceWarning, match="Unclosed socket"):
        del s
        gc_collect()
    # term() returns only if the socket was closed (libzmq's term completes pending
    # inproc connections, so the queued message does not hold it up)
    done = threading.Event()

    def term() -> None:
        context.term()
        done.set()

    threading.Thread(target=term, daemon=True).start()
    assert done.wait(10), "context.term() blocked: the collected socket was not closed"
