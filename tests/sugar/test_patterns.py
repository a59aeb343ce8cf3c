"""Every messaging pattern over every transport, with real sockets."""

from __future__ import annotations

import socket as pysocket

import pytest

import zmq

TRANSPORTS = ("inproc", "ipc", "tcp")


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return request.param


def test_pair(bound_pair, transport):
    a, b = bound_pair(zmq.PAIR, zmq.PAIR, transport)
    a.send(b"ping")
    assert b.recv() == b"ping"
    b.send(b"pong")
    assert a.recv() == b"pong"


def test_req_rep(bound_pair, transport):
    rep, req = bound_pair(zmq.REP, zmq.REQ, transport)
    for i in range(3):
        req.send(b"question %d" % i)
        assert rep.recv() == b"question %d" % i
        rep.send(b"answer %d" % i)
        assert req.recv() == b"answer %d" % i
    req.send(b"again")
    with pytest.raises(zmq.ZMQError) as info:
        req.send(b"out of turn")  # REQ must wait for the reply first
    assert info.value.errno == zmq.EFSM


def test_dealer_router(socket, endpoint, transport):
    router, dealer = socket(zmq.ROUTER), socket(zmq.DEALER)
    router.rcvtimeo = dealer.rcvtimeo = 10_000
    dealer.routing_id = b"dealer-1"
    router.bind(endpoint(transport))
    dealer.connect(router.last_endpoint.decode())
    dealer.send_multipart([b"", b"hello"])
    assert router.recv_multipart() == [b"dealer-1", b"", b"hello"]
    router.send_multipart([b"dealer-1", b"", b"back"])
    assert dealer.recv_multipart() == [b"", b"back"]


def sync_subscription(pub: zmq.Socket[bytes], sub: zmq.Socket[bytes], probe: bytes) -> None:
    """Subscriptions reach the publisher asynchronously: publish ``probe`` until the
    subscriber sees one (no sleeping)."""
    while not sub.poll(50):
        pub.send(probe)


def recv_skipping(sub: zmq.Socket[bytes], probe: bytes) -> bytes:
    """The next message that is not a (late) sync probe."""
    while True:
        msg = sub.recv()
        if msg != probe:
            return msg


def test_pub_sub_topic_filtering(bound_pair, transport):
    pub, sub = bound_pair(zmq.PUB, zmq.SUB, transport)
    sub.subscribe(b"weather")
    sub.subscribe("sports")  # str topics are UTF-8 encoded
    sync_subscription(pub, sub, b"weather sync")
    pub.send(b"news: filtered out")
    pub.send(b"sports: kept")
    pub.send(b"weather: kept")
    assert recv_skipping(sub, b"weather sync") == b"sports: kept"
    assert sub.recv() == b"weather: kept"
    sub.unsubscribe("sports")
    sub.unsubscribe(b"weather")
    sub.subscribe(b"last")
    sync_subscription(pub, sub, b"last sync")
    pub.send(b"weather: now filtered")
    pub.send(b"sports: now filtered")
    pub.send(b"last one")
    assert recv_skipping(sub, b"last sync") == b"last one"


def test_xpub_xsub(bound_pair, socket, transport):
    xpub, xsub = bound_pair(zmq.XPUB, zmq.XSUB, transport)
    xsub.send(b"\x01topic")  # an XSUB subscribes by sending a message
    assert xpub.recv() == b"\x01topic"
    xpub.send(b"other: dropped")
    xpub.send(b"topic: delivered")
    assert xsub.recv() == b"topic: delivered"
    sub = socket(zmq.SUB)
    sub.connect(xpub.last_endpoint.decode())
    sub.subscribe(b"abc")
    xpub.rcvtimeo = 10_000
    assert xpub.recv() == b"\x01abc"  # XPUB sees SUB's subscription too


def test_push_pull_many(bound_pair, transport):
    push, pull = bound_pair(zmq.PUSH, zmq.PULL, transport)
    sent = [b"msg %d" % i for i in range(100)]
    for msg in sent:
        push.send(msg)
    assert [pull.recv() for _ in sent] == sent


def test_push_pull_fan_in(socket, endpoint, transport):
    pull = socket(zmq.PULL)
    pull.rcvtimeo = 10_000
    pull.bind(endpoint(transport))
    pushers = [socket(zmq.PUSH) for _ in range(3)]
    for i, push in enumerate(pushers):
        push.connect(pull.last_endpoint.decode())
        push.send(b"from %d" % i)
    assert sorted(pull.recv() for _ in pushers) == [b"from 0", b"from 1", b"from 2"]


def test_stream_talks_to_a_plain_tcp_socket(socket):
    # STREAM is for raw TCP peers, so it is tested on tcp only
    stream = socket(zmq.STREAM)
    stream.rcvtimeo = 10_000
    stream.bind("tcp://127.0.0.1:*")
    port = int(stream.last_endpoint.decode().rsplit(":", 1)[1])
    with pysocket.create_connection(("127.0.0.1", port), timeout=10) as client:
        peer, empty = stream.recv_multipart()  # a connection notification
        assert empty == b""
        client.sendall(b"hello")
        received = b""
        while received != b"hello":
            pid, chunk = stream.recv_multipart()
            assert pid == peer
            received += chunk
        stream.send_multipart([peer, b"world"])
        data = b""
        while len(data) < 5:
            data += client.recv(5 - len(data))
        assert data == b"world"
