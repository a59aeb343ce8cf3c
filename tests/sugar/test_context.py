"""Context: options, default socket options, instance(), fork, destroy, shadows, lifetime."""

from __future__ import annotations

import copy
import multiprocessing
from multiprocessing.connection import Connection

import pytest

import zmq


def test_context_options_as_attributes(Context):
    with Context(io_threads=2) as ctx:
        assert ctx.io_threads == 2
        assert ctx.get(zmq.IO_THREADS) == 2
        ctx.max_sockets = 64
        assert ctx.max_sockets == 64 == ctx.get(zmq.ContextOption.MAX_SOCKETS)
        ctx.ipv6 = 1  # a context option of the same name as a socket option wins
        assert ctx.ipv6 == 1 and zmq.IPV6 not in ctx.sockopts
        with pytest.raises(AttributeError):
            ctx.not_an_option  # noqa: B018
        with pytest.raises(AttributeError):
            ctx.not_an_option = 1
        with pytest.raises(TypeError):
            ctx.io_threads = "two"
        assert "io_threads" in dir(ctx) and "linger" in dir(ctx)


def test_default_socket_options(context):
    context.linger = 0
    context.sndhwm = 10
    context.subscribe = b""  # does not apply to PUSH: silently skipped there
    context.setsockopt(zmq.RCVTIMEO, 1234)
    assert context.sockopts == {
        zmq.LINGER: 0,
        zmq.SNDHWM: 10,
        zmq.SUBSCRIBE: b"",
        zmq.RCVTIMEO: 1234,
    }
    assert context.linger == 0 and context.getsockopt(zmq.SNDHWM) == 10
    push = context.socket(zmq.PUSH)
    assert (push.linger, push.sndhwm, push.rcvtimeo) == (0, 10, 1234)
    sub = context.socket(zmq.SUB)
    pub = context.socket(zmq.PUB)
    pub.bind("inproc://defaults")
    sub.connect("inproc://defaults")
    while not sub.poll(20):  # subscribed to everything by the default SUBSCRIBE
        pub.send(b"anything")
    assert sub.recv() == b"anything"

    del context.linger
    assert zmq.LINGER not in context.sockopts
    with pytest.raises(AttributeError):
        context.linger  # noqa: B018
    with pytest.raises(AttributeError):
        del context.linger
    with pytest.raises(AttributeError):
        del context.io_threads  # a context option is not a default socket option
    fresh = context.socket(zmq.PUSH)
    assert fresh.linger == -1  # libzmq's default again
    with pytest.raises(KeyError):
        context.getsockopt(zmq.LINGER)


def test_bad_default_option_fails_socket_creation_cleanly(context):
    context.linger = "not an int"
    with pytest.raises(TypeError):
        context.socket(zmq.PUSH)
    assert not [s for s in context._sockets if not s.closed]


def test_instance_is_shared(Context):
    a = Context.instance()
    assert Context.instance() is a
    a.term()
    b = Context.instance()
    assert b is not a and not b.closed
    b.term()


def _child_uses_instance(conn: Connection, parent_instance_id: int) -> None:
    try:
        inherited = zmq.Context._instance
        child: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
        assert id(inherited) == parent_instance_id, "the child did inherit the parent's"
        assert child is not inherited
        with child.socket(zmq.PULL) as pull, child.socket(zmq.PUSH) as push:
            pull.rcvtimeo = 10_000
            pull.bind("inproc://child")
            push.connect("inproc://child")
            push.send(b"child works")
            conn.send(pull.recv())
        child.term()
    except BaseException as e:
        conn.send(repr(e))


@pytest.mark.timeout(60)
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_instance_after_fork():
    parent: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    mp = multiprocessing.get_context("fork")
    receiver, sender = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child_uses_instance, args=(sender, id(parent)))
    proc.start()
    assert receiver.poll(30), "no answer from the child"
    assert receiver.recv() == b"child works"
    proc.join(30)
    assert proc.exitcode == 0
    assert zmq.Context.instance() is parent  # the parent's instance is untouched
    with parent.socket(zmq.PULL) as pull, parent.socket(zmq.PUSH) as push:
        pull.rcvtimeo = 10_000
        pull.bind("inproc://parent")
        push.connect("inproc://parent")
        push.send(b"parent works")
        assert pull.recv() == b"parent works"


def test_term_and_closed(Context):
    ctx = Context()
    assert not ctx.closed
    ctx.term()
    assert ctx.closed
    ctx.term()  # idempotent
    with pytest.raises(zmq.ZMQError) as info:
        ctx.socket(zmq.PUSH)
    assert info.value.errno == zmq.ENOTSUP
    assert repr(ctx).endswith(" closed>")


def test_destroy_closes_sockets(Context):
    ctx = Context()
    sockets = [ctx.socket(t) for t in (zmq.PUSH, zmq.PULL, zmq.PUB)]
    direct = zmq.Socket(ctx, zmq.SUB)  # made without ctx.socket: tracked too
    sockets[0].connect("inproc://nowhere")
    sockets[0].send(b"pending")
    assert repr(ctx).startswith("<zmq.Context(4 sockets) at 0x")
    ctx.destroy(linger=0)
    assert ctx.closed
    assert all(s.closed for s in [*sockets, direct])
    ctx.destroy()  # idempotent


def test_context_manager_destroys_and_warns_about_open_sockets(Context):
    with pytest.warns(ResourceWarning, match="unclosed socket"):
        with Context() as ctx:
            s = ctx.socket(zmq.PUSH)
            s.linger = 0
    assert ctx.closed and s.closed


def test_exit_takes_exc_info_and_does_not_swallow_errors(Context):
    ctx = Context()
    assert ctx.__enter__() is ctx
    assert ctx.__exit__(ValueError, ValueError("x"), None) is None  # None: not swallowed
    assert ctx.closed
    with pytest.raises(KeyError):
        with Context() as ctx2:
            raise KeyError("propagates")
    assert ctx2.closed


def test_context_manager_without_open_sockets_is_quiet(Context):
    with Context() as ctx:
        with ctx.socket(zmq.PUSH):
            pass
    assert ctx.closed


def test_shadow_context(context, gc_collect):
    for shadow in (
        zmq.Context.shadow(context.underlying),
        zmq.Context(context),
        zmq.Context(shadow=context),
        copy.copy(context),
        copy.deepcopy(context),
    ):
        assert shadow.underlying == context.underlying
    shadow = zmq.Context.shadow(context.underlying)
    a = context.socket(zmq.PAIR)
    a.rcvtimeo = 10_000
    b = shadow.socket(zmq.PAIR)
    b.rcvtimeo = 10_000
    a.bind("inproc://same-libzmq-context")
    b.connect("inproc://same-libzmq-context")  # inproc only works within one context
    a.send(b"shared")
    assert b.recv() == b"shared"
    b.close()
    shadow.term()  # a shadow never terminates what it wraps
    del shadow
    gc_collect()
    assert not context.closed
    pull, push = context.socket(zmq.PULL), context.socket(zmq.PUSH)
    pull.rcvtimeo = 10_000
    pull.bind("inproc://after-the-shadow")
    push.connect("inproc://after-the-shadow")
    push.send(b"still alive")
    assert pull.recv() == b"still alive"


def test_repr(context):
    assert repr(context).startswith("<zmq.Context() at 0x")
    s = context.socket(zmq.PUSH)
    assert "(1 socket)" in repr(context)
    s.close()
    assert repr(context).startswith("<zmq.Context() at 0x")


def test_negative_io_threads_is_einval(Context):
    # the error libzmq gives for the option, raised before any context exists
    with pytest.raises(zmq.ZMQError) as info:
        Context(io_threads=-1)
    assert info.value.errno == zmq.EINVAL
    with Context(io_threads=0) as ctx:  # 0 is valid: inproc only
        assert ctx.io_threads == 0
