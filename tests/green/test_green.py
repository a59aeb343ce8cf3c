"""zmq.green: blocking calls wait in the gevent hub, so other greenlets keep running."""

from __future__ import annotations

import gc
import os
import threading
import time
import warnings
import weakref
from typing import Any, Callable

import pytest

pytest.importorskip(
    "gevent", reason="gevent is not installed (it has no wheel for this interpreter)"
)
import gevent
import gevent.event
from subprocess_support import run_python

import zmq
import zmq.green

# the tests below rely on the timeouts working; test_timeo_options_warn_like_pyzmq checks the warning
pytestmark = pytest.mark.filterwarnings("ignore:TIMEO socket options:UserWarning")

Pair = Callable[..., Any]
WAIT = 10  # seconds a greenlet may take before the test fails


def ticker() -> tuple[Any, gevent.event.Event]:
    """A greenlet that yields to the hub 50 times, then sets the returned Event: it can
    only finish if whatever else runs lets the hub run."""
    done = gevent.event.Event()

    def run() -> None:
        for _ in range(50):
            gevent.sleep(0)
        done.set()

    return gevent.spawn(run), done


def test_module_reexports_zmq() -> None:
    assert zmq.green.PUSH == zmq.PUSH == 8
    assert zmq.green.SocketType is zmq.SocketType
    assert zmq.green.Again is zmq.Again
    # (zmq.green does not yet declare Frame to type checkers, unlike the other names)
    assert zmq.green.Frame is zmq.Frame
    assert zmq.green.Socket is not zmq.Socket and issubclass(zmq.green.Socket, zmq.Socket)
    assert issubclass(zmq.green.Context, zmq.Context)
    assert issubclass(zmq.green.Poller, zmq.Poller)
    assert set(zmq.__all__) <= set(dir(zmq.green))


def test_plain_zmq_does_not_import_gevent() -> None:
    # run_python: from a neutral directory, importing the zmq under test
    result = run_python("import sys, zmq; print('gevent' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_context_makes_green_sockets(context: Any) -> None:
    s = context.socket(zmq.PUSH)
    assert isinstance(s, zmq.green.Socket)
    assert repr(s).startswith("<zmq.green.Socket(zmq.PUSH)")
    inst = zmq.green.Context.instance()
    try:
        assert isinstance(inst, zmq.green.Context)
        assert inst is zmq.green.Context.instance()
        assert inst is not zmq.Context.instance()
    finally:
        inst.term()


@pytest.mark.parametrize("transport", ["inproc", "ipc", "tcp"])
def test_push_pull_ping_pong(bound_pair: Pair, transport: str) -> None:
    a_out, b_in = bound_pair(zmq.PUSH, zmq.PULL, transport)
    b_out, a_in = bound_pair(zmq.PUSH, zmq.PULL, transport)
    rounds = 50

    def pong() -> int:
        for _ in range(rounds):
            b_out.send(b_in.recv() + b"!")
        return rounds

    def ping() -> list[bytes]:
        replies = []
        for i in range(rounds):
            a_out.send(b"%d" % i)
            replies.append(a_in.recv())
        return replies

    ponger = gevent.spawn(pong)  # starts first: waits in recv before anything is sent
    pinger = gevent.spawn(ping)
    assert pinger.get(timeout=WAIT) == [b"%d!" % i for i in range(rounds)]
    assert ponger.get(timeout=WAIT) == rounds


def test_req_rep_with_serialising_helpers(bound_pair: Pair) -> None:
    rep, req = bound_pair(zmq.REP, zmq.REQ)

    def server() -> None:
        rep.send_string(rep.recv_string().upper())
        rep.send_json({"n": rep.recv_json()["n"] + 1})
        rep.send_pyobj(rep.recv_pyobj()[::-1])

    def client() -> list[Any]:
        req.send_string("héllo")
        out: list[Any] = [req.recv_string()]
        req.send_json({"n": 1})
        out.append(req.recv_json())
        req.send_pyobj((1, 2))
        out.append(req.recv_pyobj())
        return out

    srv = gevent.spawn(server)
    assert gevent.spawn(client).get(timeout=WAIT) == ["HÉLLO", {"n": 2}, (2, 1)]
    srv.get(timeout=WAIT)


def test_dealer_router_multipart(bound_pair: Pair, socket: Callable[..., Any]) -> None:
    router, dealer1 = bound_pair(zmq.ROUTER, zmq.DEALER)
    dealer2 = socket(zmq.DEALER)
    dealer2.linger = 0
    dealer2.connect(router.last_endpoint.decode())
    messages = 20

    def echo() -> None:
        for _ in range(2 * messages):
            ident, *body = router.recv_multipart()
            router.send_multipart([ident, b"echo", *body])

    def client(dealer: Any, name: bytes) -> list[list[bytes]]:
        replies = []
        for i in range(messages):
            dealer.send_multipart([name, b"%d" % i])
            replies.append(dealer.recv_multipart())
        return replies

    server = gevent.spawn(echo)
    clients = [gevent.spawn(client, d, n) for d, n in ((dealer1, b"a"), (dealer2, b"b"))]
    for c, name in zip(clients, (b"a", b"b")):
        assert c.get(timeout=WAIT) == [[b"echo", name, b"%d" % i] for i in range(messages)]
    server.get(timeout=WAIT)


def test_waiting_recv_lets_other_greenlets_run(push_pull: tuple[Any, Any]) -> None:
    push, pull = push_pull
    receiver = gevent.spawn(pull.recv)
    _, ticked = ticker()
    # a recv blocking the process would starve the ticker until RCVTIMEO (10 s) ran out
    assert ticked.wait(WAIT)
    assert not receiver.ready()
    push.send(b"late")
    assert receiver.get(timeout=WAIT) == b"late"


def test_rcvtimeo_raises_again_without_blocking_others(push_pull: tuple[Any, Any]) -> None:
    _, pull = push_pull
    pull.rcvtimeo = 200
    _, ticked = ticker()
    start = time.monotonic()
    with pytest.raises(zmq.Again):
        pull.recv_multipart()
    assert time.monotonic() - start >= 0.19
    assert ticked.is_set()


def test_sndtimeo_raises_again(socket: Callable[..., Any], endpoint: Callable[[str], str]) -> None:
    push = socket(zmq.PUSH)
    push.linger = 0
    push.sndtimeo = 100
    push.bind(endpoint("tcp"))  # no peer: nothing can be sent
    with pytest.raises(zmq.Again):
        push.send(b"x")


@pytest.mark.filterwarnings("error")
def test_timeo_options_warn_like_pyzmq(socket: Callable[..., Any]) -> None:
    sock = socket(zmq.PULL)
    for access in (
        lambda: setattr(sock, "rcvtimeo", 50),
        lambda: sock.sndtimeo,
        lambda: sock.set(zmq.SNDTIMEO, 50),
        lambda: sock.get(zmq.RCVTIMEO),
    ):
        with pytest.warns(UserWarning, match="TIMEO socket options"):
            access()
    sock.linger = 0  # other options stay quiet
    with warnings.catch_warnings(record=True) as caught:
        with pytest.raises(zmq.Again):
            sock.recv()  # the timeout set above applies, without a second warning
    assert caught == []


def test_noblock(push_pull: tuple[Any, Any]) -> None:
    push, pull = push_pull
    with pytest.raises(zmq.Again):
        pull.recv(zmq.NOBLOCK)
    with pytest.raises(zmq.Again):
        pull.recv_multipart(zmq.DONTWAIT)
    push.send_multipart([b"a", b"b"])
    assert pull.poll(WAIT * 1000) == zmq.POLLIN
    assert pull.recv_multipart(zmq.NOBLOCK) == [b"a", b"b"]


def test_recv_into_and_frames(push_pull: tuple[Any, Any]) -> None:
    push, pull = push_pull
    buf = bytearray(10)
    receiver = gevent.spawn(lambda: pull.recv_into(buf))
    gevent.spawn(push.send, b"hello")
    assert receiver.get(timeout=WAIT) == 5
    assert buf[:5] == b"hello"
    gevent.spawn(push.send_multipart, [b"x", b"yz"], copy=False)
    frames = gevent.spawn(pull.recv_multipart, copy=False).get(timeout=WAIT)
    assert [f.bytes for f in frames] == [b"x", b"yz"]


def test_send_at_hwm_yields_until_peer_reads(
    socket: Callable[..., Any], endpoint: Callable[[str], str]
) -> None:
    push, pull = socket(zmq.PUSH), socket(zmq.PULL)
    for s in (push, pull):
        s.linger = 0
        s.sndtimeo = s.rcvtimeo = WAIT * 1000
    push.sndhwm = pull.rcvhwm = 1  # before connecting: pipes take the HWM when made
    url = endpoint("inproc")
    pull.bind(url)
    push.connect(url)
    total = 100
    sent = []

    def produce() -> None:
        for i in range(total):
            push.send(b"%d" % i)
            sent.append(i)

    producer = gevent.spawn(produce)
    gevent.idle()  # the producer ran until the queue was full and now waits in the hub
    assert not producer.ready()
    assert 0 < len(sent) < total
    received = [pull.recv() for _ in range(total)]
    producer.get(timeout=WAIT)
    assert received == [b"%d" % i for i in range(total)]


def test_gevent_timeout_interrupts_recv_without_losing_messages(
    push_pull: tuple[Any, Any],
) -> None:
    push, pull = push_pull
    for _ in range(3):
        with gevent.Timeout(0.05, False):
            pull.recv()
            pytest.fail("recv returned without a message")
    assert not pull._green.core.has_waiters()  # the interrupted waits left nothing behind
    push.send_multipart([b"kept", b"too"])
    push.send(b"second")
    assert pull.recv_multipart() == [b"kept", b"too"]
    assert pull.recv() == b"second"


def test_waiting_receives_complete_in_call_order(push_pull: tuple[Any, Any]) -> None:
    push, pull = push_pull
    order: list[tuple[int, bytes]] = []

    def receive(i: int) -> None:
        order.append((i, pull.recv()))

    receivers = [gevent.spawn(receive, i) for i in range(20)]
    gevent.idle()  # all of them wait, in spawn order
    for i in range(20):
        push.send(b"%d" % i)
    gevent.joinall(receivers, timeout=WAIT, raise_error=True)
    assert order == [(i, b"%d" % i) for i in range(20)]


def test_a_timed_out_waiter_leaves_the_queue_to_the_others(
    push_pull: tuple[Any, Any],
) -> None:
    push, pull = push_pull
    pull.rcvtimeo = -1
    first = gevent.spawn(pull.recv)
    gevent.idle()
    pull.rcvtimeo = 100  # read when a call starts waiting: only the second times out
    second = gevent.spawn(pull.recv)
    pull_later = gevent.spawn(lambda: (gevent.sleep(0.01), pull.recv())[1])
    gevent.idle()
    pull.rcvtimeo = -1
    with pytest.raises(zmq.Again):
        second.get(timeout=WAIT)
    push.send(b"1")
    push.send(b"2")
    assert first.get(timeout=WAIT) == b"1"
    assert pull_later.get(timeout=WAIT) == b"2"


def test_context_term_fails_waiting_greenlets(context: Any) -> None:
    sock = context.socket(zmq.PULL)
    sock.linger = 0
    sock.rcvtimeo = -1
    sock.bind(f"inproc://term-{id(sock)}")
    failures: list[str] = []

    def wait() -> None:
        try:
            sock.recv()
        except zmq.ContextTerminated:
            failures.append("ContextTerminated")
            sock.close()  # what term() waits for

    waiting = [gevent.spawn(wait) for _ in range(2)]
    gevent.idle()
    terminator = threading.Thread(target=context.term)
    terminator.start()
    gevent.joinall(waiting, timeout=WAIT, raise_error=True)
    terminator.join(WAIT)
    assert not terminator.is_alive()
    assert failures == ["ContextTerminated"] * 2


def test_killed_receiver_never_takes_a_message(bound_pair: Pair) -> None:
    push, pull = bound_pair(zmq.PUSH, zmq.PULL, "inproc")
    loop = gevent.get_hub().loop
    for i in range(40):
        receiver = gevent.spawn(pull.recv)
        gevent.idle()  # it waits in the hub
        push.send(b"%d" % i)  # its FD is readable from now on
        # The kill (a callback) or a throw straight from the hub (a zero timer, as
        # gevent.Timeout does) reaches it in the hub turn in which its FD is readable:
        # it either returns the message or dies without having taken it.
        if i % 2:
            receiver.kill(block=False)
        else:
            killer = loop.timer(0.0)
            killer.start(receiver.throw)
        gevent.joinall([receiver], timeout=WAIT)
        assert receiver.dead
        if isinstance(receiver.value, bytes):
            assert receiver.value == b"%d" % i
        else:
            assert pull.recv(zmq.NOBLOCK) == b"%d" % i
    assert not pull._green.core.has_waiters()


def test_a_message_taken_in_the_hub_reaches_its_greenlet(bound_pair: Pair) -> None:
    # The hub takes the message for the waiting greenlet; a kill thrown at it later in
    # the same hub turn must find it already holding the message (not still waiting).
    push, pull = bound_pair(zmq.PUSH, zmq.PULL, "inproc")
    receiver = gevent.spawn(pull.recv)
    gevent.idle()
    push.send(b"m")

    def hub_turn() -> None:
        pull._green.core.process()  # the FD watcher's handler: serves the waiting recv
        receiver.throw()

    gevent.get_hub().loop.run_callback(hub_turn)
    gevent.joinall([receiver], timeout=WAIT)
    assert receiver.value == b"m"


def test_closing_wakes_senders_receivers_and_pollers(
    socket: Callable[..., Any], endpoint: Callable[[str], str]
) -> None:
    dealer = socket(zmq.DEALER)
    dealer.linger = 0
    dealer.bind(endpoint("tcp"))  # no peer: sending and receiving both wait
    waiting = [gevent.spawn(dealer.recv) for _ in range(3)]
    waiting += [gevent.spawn(dealer.send, b"x") for _ in range(3)]
    waiting += [gevent.spawn(dealer.poll, WAIT * 1000)]
    gevent.idle()
    assert not any(g.ready() for g in waiting)
    dealer.close()
    for g in waiting:
        with pytest.raises(zmq.ZMQError) as info:
            g.get(timeout=WAIT)
        assert info.value.errno == zmq.ENOTSOCK


def test_greenlets_sharing_a_socket_wake_each_other(bound_pair: Pair) -> None:
    # The dealer's send may consume the ZMQ_FD edge that announces the reply the
    # receiving greenlet waits for; the send must wake it to re-check.
    router, dealer = bound_pair(zmq.ROUTER, zmq.DEALER)
    waiting = gevent.spawn(dealer.recv)
    gevent.idle()

    def reply() -> None:
        ident, body = router.recv_multipart()
        router.send_multipart([ident, body * 2])

    server = gevent.spawn(reply)
    for i in range(10):
        dealer.send(b"ab")
        assert waiting.get(timeout=WAIT) == b"abab", i
        server.get(timeout=WAIT)
        waiting = gevent.spawn(dealer.recv)
        server = gevent.spawn(reply)
        gevent.idle()
    waiting.kill()
    server.kill()


def test_two_greenlets_receive_from_one_socket(push_pull: tuple[Any, Any]) -> None:
    push, pull = push_pull
    receivers = [gevent.spawn(pull.recv) for _ in range(2)]
    gevent.idle()
    push.send(b"1")
    push.send(b"2")
    assert sorted(r.get(timeout=WAIT) for r in receivers) == [b"1", b"2"]


def test_poller_with_sockets_and_a_pipe(push_pull: tuple[Any, Any]) -> None:
    push, pull = push_pull
    rfd, wfd = os.pipe()
    try:
        poller = zmq.green.Poller()
        poller.register(pull, zmq.POLLIN)
        poller.register(rfd, zmq.POLLIN)
        _, ticked = ticker()
        assert poller.poll(100) == []
        assert ticked.is_set()  # the poll let the ticker run

        waiter = gevent.spawn(poller.poll)
        gevent.idle()
        assert not waiter.ready()
        os.write(wfd, b"x")
        assert waiter.get(timeout=WAIT) == [(rfd, zmq.POLLIN)]
        os.read(rfd, 1)

        waiter = gevent.spawn(poller.poll, WAIT * 1000)
        gevent.idle()
        assert not waiter.ready()
        push.send(b"m")
        assert waiter.get(timeout=WAIT) == [(pull, zmq.POLLIN)]
        assert pull.recv() == b"m"
    finally:
        os.close(rfd)
        os.close(wfd)


def test_socket_poll_is_cooperative(push_pull: tuple[Any, Any]) -> None:
    push, pull = push_pull
    waiter = gevent.spawn(pull.poll, WAIT * 1000)
    _, ticked = ticker()
    assert ticked.wait(WAIT)
    assert not waiter.ready()
    push.send(b"m")
    assert waiter.get(timeout=WAIT) == zmq.POLLIN


def test_device_forwards_between_greenlets(
    socket: Callable[..., Any], endpoint: Callable[[str], str]
) -> None:
    frontend, backend = socket(zmq.ROUTER), socket(zmq.DEALER)
    client, worker = socket(zmq.REQ), socket(zmq.REP)
    for s in (frontend, backend, client, worker):
        s.linger = 0
    front_url, back_url = endpoint("inproc"), endpoint("inproc")
    frontend.bind(front_url)
    backend.bind(back_url)
    client.connect(front_url)
    worker.connect(back_url)

    def serve() -> None:
        for _ in range(3):
            worker.send(worker.recv() + b" done")

    forwarder = gevent.spawn(zmq.green.device, zmq.QUEUE, frontend, backend)
    server = gevent.spawn(serve)

    def ask() -> list[bytes]:
        answers = []
        for job in (b"a", b"b", b"c"):
            client.send(job)
            answers.append(client.recv())
        return answers

    try:
        assert gevent.spawn(ask).get(timeout=WAIT) == [b"a done", b"b done", b"c done"]
        server.get(timeout=WAIT)
    finally:
        forwarder.kill()


def test_reading_events_does_not_strand_a_waiting_recv(bound_pair: Pair) -> None:
    # Reading EVENTS drains the ZMQ_FD signal the waiting greenlet's watcher needs.
    push, pull = bound_pair(zmq.PUSH, zmq.PULL, "inproc")
    pull.rcvtimeo = -1
    for i in range(5):
        receiver = gevent.spawn(pull.recv)
        gevent.idle()
        push.send(b"%d" % i)
        assert pull.get(zmq.EVENTS) & zmq.POLLIN
        assert receiver.get(timeout=WAIT) == b"%d" % i


def test_closing_a_socket_wakes_its_waiting_greenlets(
    push_pull: tuple[Any, Any], socket: Callable[..., Any]
) -> None:
    _, pull = push_pull
    pull.rcvtimeo = -1
    other = socket(zmq.PULL)
    poller = zmq.green.Poller()
    poller.register(pull, zmq.POLLIN)
    poller.register(other, zmq.POLLIN)
    receiver = gevent.spawn(pull.recv)
    polling = gevent.spawn(poller.poll)
    gevent.idle()
    pull.close()
    for waiting in (receiver, polling):
        with pytest.raises(zmq.ZMQError) as info:
            waiting.get(timeout=WAIT)
        assert info.value.errno == zmq.ENOTSOCK


def test_sending_from_a_hub_callback_never_waits(push_pull: tuple[Any, Any]) -> None:
    # a hub callback must not block, but calls that can go at once are fine, however many
    push, pull = push_pull
    push.send(b"connected")
    assert pull.recv() == b"connected"
    sent = gevent.event.Event()

    def send_all() -> None:
        for i in range(300):
            push.send(b"%d" % i)
        sent.set()

    gevent.get_hub().loop.run_callback(send_all)
    assert sent.wait(WAIT)
    assert [pull.recv() for _ in range(300)] == [b"%d" % i for i in range(300)]


def test_a_dropped_socket_is_freed_at_once() -> None:
    ctx = zmq.green.Context()  # (the fixtures keep their sockets)
    push, pull = ctx.socket(zmq.PUSH), ctx.socket(zmq.PULL)
    ref = weakref.ref(pull)
    try:
        push.linger = pull.linger = 0
        pull.bind(f"inproc://dropped-{id(pull)}")
        push.connect(pull.get_string(zmq.LAST_ENDPOINT))
        sender = gevent.spawn(push.send, b"x")
        assert pull.recv() == b"x"  # waited in the hub: its watcher has been running
        sender.get(timeout=WAIT)
        gevent.sleep(0)  # the hub finishes the turn that handed the message over
        gc.disable()  # freed by reference counting, no cycle to collect
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)  # dropped unclosed
                del pull
            assert ref() is None
        finally:
            gc.enable()
    finally:
        for s in (push, ref()):
            if s is not None:
                s.close()
        ctx.term()


def test_green_zmqstream_uses_the_tornado_ioloop() -> None:
    pytest.importorskip("tornado")
    import zmq.eventloop.zmqstream

    with warnings.catch_warnings():
        # zmq.green.eventloop.ioloop is pyzmq's deprecated zmq.eventloop.ioloop (tested there)
        warnings.simplefilter("ignore", DeprecationWarning)
        from zmq.green.eventloop import IOLoop
        from zmq.green.eventloop.zmqstream import ZMQStream

    assert issubclass(ZMQStream, zmq.eventloop.zmqstream.ZMQStream)
    assert IOLoop is zmq.eventloop.IOLoop
