"""zmq.asyncio on thread-safe (draft) sockets. They have no ZMQ_FD; as in pyzmq, reading
FD gives the descriptor of a zmq_poller watching the socket (with a DraftFDWarning), and
the asyncio sockets wait on it."""

from __future__ import annotations

import asyncio
import warnings

import pytest

import zmq
import zmq.asyncio

pytestmark = pytest.mark.usefixtures("draft")


@pytest.fixture(autouse=True)
def quiet_fd_warning() -> None:
    warnings.simplefilter("ignore", zmq.DraftFDWarning)


def test_fd_of_a_thread_safe_socket_warns_once_and_stays(socket: object) -> None:
    server = socket(zmq.SERVER)  # type: ignore[operator]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", zmq.DraftFDWarning)
        fd = server.get(zmq.FD)
        assert server.fd == fd and server.FD == fd
    assert isinstance(fd, int) and fd >= 0
    assert [w.category for w in caught] == [zmq.DraftFDWarning]
    assert server.get(zmq.EVENTS) & zmq.POLLOUT


async def test_server_client_request_reply() -> None:
    with zmq.asyncio.Context() as ctx:
        server, client = ctx.socket(zmq.SERVER), ctx.socket(zmq.CLIENT)
        try:
            for s in (server, client):
                s.linger = 0
            client.connect(f"tcp://127.0.0.1:{server.bind_to_random_port('tcp://127.0.0.1')}")
            server.rcvtimeo = 100
            with pytest.raises(zmq.Again):
                await server.recv()  # RCVTIMEO bounds the wait, as for other sockets
            server.rcvtimeo = client.rcvtimeo = 10_000
            for round_ in range(20):
                pending = asyncio.ensure_future(server.recv(copy=False))
                await asyncio.sleep(0)
                assert not pending.done()  # waiting, not busy: nothing was sent yet
                await client.send(f"request {round_}".encode())
                frame = await asyncio.wait_for(pending, 10)
                reply = asyncio.ensure_future(client.recv())
                await server.send(b"re: " + frame.bytes, routing_id=frame.routing_id)
                assert await asyncio.wait_for(reply, 10) == f"re: request {round_}".encode()
        finally:
            server.close()
            client.close()


async def test_asyncio_poller_on_a_dish() -> None:
    with zmq.asyncio.Context() as ctx:
        radio, dish = ctx.socket(zmq.RADIO), ctx.socket(zmq.DISH)
        try:
            for s in (radio, dish):
                s.linger = 0
            radio.bind("inproc://asyncio-radio")
            dish.connect("inproc://asyncio-radio")
            dish.join("g")
            poller = zmq.asyncio.Poller()
            poller.register(dish, zmq.POLLIN)
            for _ in range(200):  # until the join has reached the radio
                await radio.send(b"hello", group="g")
                if await poller.poll(50):
                    break
            frame = await dish.recv(copy=False)
            assert (frame.bytes, frame.group) == (b"hello", "g")
        finally:
            radio.close()
            dish.close()
