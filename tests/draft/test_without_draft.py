"""A build without libzmq's draft API: every draft-only entry point says how to get it,
and what libzmq allows without drafts keeps working."""

from __future__ import annotations

from typing import Any, Callable

import pytest

import zmq

pytestmark = pytest.mark.usefixtures("no_draft")

HOW = "ZMQ_DRAFT_API=1"


def test_join_and_leave_say_how_to_build(socket: Callable[..., Any]) -> None:
    sub = socket(zmq.SUB)  # DISH sockets cannot be made: join is checked first anyway
    for call in (sub.join, sub.leave):
        with pytest.raises(RuntimeError, match="RADIO-DISH.*draft support.*" + HOW):
            call("group")


@pytest.mark.parametrize("kwargs", [{"routing_id": 5}, {"group": "g"}])
def test_send_with_routing_id_or_group_says_how_to_build(
    push_pull: tuple[Any, Any], kwargs: dict[str, Any]
) -> None:
    push, pull = push_pull
    for data in (b"x", zmq.Frame(b"x"), memoryview(b"x")):
        with pytest.raises(RuntimeError, match="routing_id=, group=.*" + HOW):
            push.send(data, **kwargs)
    push.send(b"plain")  # nothing of the refused sends went out
    assert pull.recv() == b"plain"


def test_frame_properties_say_how_to_build() -> None:
    frame = zmq.Frame(b"x")
    with pytest.raises(RuntimeError, match="Frame.routing_id.*" + HOW):
        frame.routing_id  # noqa: B018
    with pytest.raises(RuntimeError, match="Frame.routing_id.*" + HOW):
        frame.routing_id = 1
    with pytest.raises(RuntimeError, match="Frame.group.*" + HOW):
        frame.group  # noqa: B018
    with pytest.raises(RuntimeError, match="Frame.group.*" + HOW):
        frame.group = "g"
    with pytest.raises(RuntimeError, match=HOW):
        frame.get("group")


def test_draft_option_is_einval_saying_why(socket: Callable[..., Any]) -> None:
    router = socket(zmq.ROUTER)
    with pytest.raises(zmq.ZMQError, match="ROUTER_NOTIFY is part of libzmq's draft API") as info:
        router.setsockopt(zmq.ROUTER_NOTIFY, zmq.NOTIFY_CONNECT)
    assert info.value.errno == zmq.EINVAL
    with pytest.raises(zmq.ZMQError, match=HOW):
        router.getsockopt(zmq.ROUTER_NOTIFY)
    router.linger = 5  # other options are untouched
    assert router.linger == 5


@pytest.mark.parametrize("name", ["SERVER", "CLIENT", "RADIO", "DISH", "SCATTER", "CHANNEL"])
def test_draft_socket_types_are_refused_saying_how_to_build(context: Any, name: str) -> None:
    """libzmq 4.3 without drafts would make them, then abort the process when one
    handshakes over tcp: refused up front, with libzmq's EINVAL and the way out."""
    with pytest.raises(
        zmq.ZMQError, match=f"{name} sockets need libzmq's draft API.*{HOW}"
    ) as info:
        context.socket(getattr(zmq, name))
    assert info.value.errno == zmq.EINVAL


def test_without_drafts_plain_sockets_still_work(push_pull: tuple[Any, Any]) -> None:
    push, pull = push_pull
    push.send(b"x", copy=False)
    assert pull.recv(copy=False).bytes == b"x"
