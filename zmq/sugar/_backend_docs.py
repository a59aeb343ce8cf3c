"""The public documentation of what the backends implement.

``zmq.Socket.send``, ``zmq.has`` and the rest of the hot path are the backend's own
functions (Cython or CFFI), which the sugar deliberately does not wrap. Their user-facing
docstrings live here, once for both backends, and :func:`document` installs them on the
selected backend's functions at import, so that ``help(zmq.Socket.send)`` is the same
whichever backend runs.
"""

from __future__ import annotations

from typing import Any, Dict

SOCKET: Dict[str, str] = {
    "send": """Send one message frame.

Parameters
----------
data : bytes, Frame, memoryview or any object supporting the buffer protocol
    The content of the frame. A str is refused (TypeError): encode it, or use
    :meth:`send_string`.
flags : int, optional
    0, or a combination of ``zmq.NOBLOCK`` (``zmq.DONTWAIT``) and ``zmq.SNDMORE``
    (more frames of the same message follow).
copy : bool, optional
    True (the default) copies ``data`` into the message. False shares its memory
    with libzmq without copying (zero-copy; frames smaller than
    :attr:`copy_threshold` are copied anyway). Do not modify the buffer before the
    send completed (see ``track``).
track : bool, optional
    With ``copy=False``, return a :class:`MessageTracker` that tells when libzmq
    no longer uses the buffer.
routing_id : int, optional
    For draft SERVER sockets: the peer to send to.
group : str, optional
    For draft RADIO sockets: the group to publish to.

Returns
-------
None or MessageTracker
    None when the frame was copied; a MessageTracker with ``copy=False``
    (``tracker.done`` is already True unless ``track=True``) or when ``data`` is a
    tracked Frame.

Raises
------
zmq.Again
    With ``NOBLOCK``, if the message cannot be queued now (high-water mark reached
    or no peer), or if SNDTIMEO expired.
zmq.ZMQError
    For any other libzmq error, e.g. ENOTSUP (this socket type cannot send now,
    e.g. a REQ socket that has not received its reply) or ENOTSOCK (closed socket).
TypeError
    If ``data`` does not support the buffer protocol.
""",
    "recv": """Receive one message frame.

Blocks until a frame arrives (or RCVTIMEO expires), unless ``flags`` has ``NOBLOCK``.

Parameters
----------
flags : int, optional
    0, or ``zmq.NOBLOCK`` (``zmq.DONTWAIT``) to fail at once when nothing is queued.
copy : bool, optional
    True (the default) returns the content as bytes. False returns a :class:`Frame`
    that refers to libzmq's message without copying it (for large messages) and
    gives access to its properties (``more``, metadata).
track : bool, optional
    Give the returned Frame a :class:`MessageTracker` (only with ``copy=False``).

Returns
-------
bytes or Frame
    The frame's content, or a Frame with ``copy=False``. ``self.rcvmore`` (or
    ``frame.more``) tells whether more frames of the same message follow.

Raises
------
zmq.Again
    With ``NOBLOCK`` when no frame is queued, or when RCVTIMEO expired.
zmq.ZMQError
    For any other libzmq error, e.g. ENOTSUP (this socket type cannot receive now)
    or ENOTSOCK (closed socket).
""",
    "send_multipart": """Send a sequence of frames as one multipart message.

``SNDMORE`` is added to every frame but the last. libzmq delivers the message
atomically: a peer receives all its frames or none.

Parameters
----------
msg_parts : sequence of bytes, Frame or buffer-providing objects
    The frames, in order. A str frame is refused (TypeError) before anything is sent.
flags : int, optional
    Flags for every frame, e.g. ``zmq.NOBLOCK``.
copy : bool, optional
    Copy the frames (the default) or share their memory (see :meth:`send`).
track : bool, optional
    With ``copy=False``, return a :class:`MessageTracker` for the message.
**kwargs
    ``routing_id`` / ``group`` for draft sockets, as for :meth:`send`.

Returns
-------
None or MessageTracker
    As :meth:`send` returns for the last frame.

Raises
------
zmq.Again
    With ``NOBLOCK``, if the first frame cannot be queued now.
zmq.ZMQError
    For any other libzmq error.
TypeError
    If a frame does not support the buffer protocol (e.g. a str).
""",
    "recv_multipart": """Receive every frame of the next multipart message.

Parameters
----------
flags : int, optional
    0, or ``zmq.NOBLOCK`` to fail at once when no message is queued (later frames of
    a message are always available once its first one arrived).
copy : bool, optional
    True (the default) returns a list of bytes; False a list of :class:`Frame`.
track : bool, optional
    Give each Frame a :class:`MessageTracker` (only with ``copy=False``).

Returns
-------
list of bytes or list of Frame
    The frames of one message, in order.

Raises
------
zmq.Again
    With ``NOBLOCK`` when no message is queued, or when RCVTIMEO expired.
zmq.ZMQError
    For any other libzmq error.
""",
    "recv_into": """Receive one frame into an existing writable buffer (no new bytes object).

.. versionadded:: 26.4

Parameters
----------
buffer : writable buffer (bytearray, memoryview, numpy array, ...)
    Where the frame's content is written; it must be C-contiguous.
nbytes : int, optional
    At most this many bytes are written (0, the default: the size of ``buffer``).
flags : int, optional
    0, or ``zmq.NOBLOCK``.

Returns
-------
int
    The full size of the frame received. It may be larger than ``nbytes``: the
    frame was then truncated to fit.

Raises
------
zmq.Again
    With ``NOBLOCK`` when no frame is queued, or when RCVTIMEO expired.
ValueError
    If ``nbytes`` is negative or larger than ``buffer``.
TypeError
    If ``buffer`` is not a writable, contiguous buffer.
""",
    "unbind": """Stop listening on an endpoint bound with :meth:`bind`.

Parameters
----------
addr : str
    The endpoint, as bound (for ``tcp://...:*``, the actual one: see
    ``last_endpoint``).

Raises
------
zmq.ZMQError
    ENOENT if ``addr`` is not bound here; EINVAL for a malformed endpoint.
""",
    "disconnect": """Disconnect from an endpoint connected with :meth:`connect`.

Parameters
----------
addr : str
    The endpoint, exactly as given to :meth:`connect`.

Raises
------
zmq.ZMQError
    ENOENT if ``addr`` is not connected here; EINVAL for a malformed endpoint.
""",
    "monitor": """Publish this socket's events (connect, accept, disconnect, ...) on a
PAIR endpoint.

Most programs use :meth:`get_monitor_socket`, which also creates the receiving
socket. Parse received events with :func:`zmq.utils.monitor.recv_monitor_message`.

Parameters
----------
addr : str or None
    An ``inproc://`` endpoint to publish on; None stops monitoring.
events : int, optional
    A bitmask of ``zmq.EVENT_*`` values (default: ``zmq.EVENT_ALL``).

Raises
------
zmq.ZMQError
    E.g. EPROTONOSUPPORT for a transport other than inproc.
""",
    "join": """Join a group (draft RADIO/DISH sockets: a DISH receives its groups).

.. versionadded:: 17

Parameters
----------
group : str or bytes
    The group name (at most 15 bytes).

Raises
------
zmq.ZMQError
    ENOTSUP on socket types without groups, or libzmq without draft support.
""",
    "leave": """Leave a group joined with :meth:`join` (draft RADIO/DISH sockets).

.. versionadded:: 17

Parameters
----------
group : str or bytes
    The group name.

Raises
------
zmq.ZMQError
    ENOTSUP on socket types without groups, or libzmq without draft support.
""",
    "get": """Get a socket option (same as :meth:`getsockopt`).

Options are also attributes: ``sock.linger`` is ``sock.get(zmq.LINGER)``.

Parameters
----------
option : int
    A ``zmq.SocketOption`` (``zmq.LINGER``, ``zmq.LAST_ENDPOINT``, ...).

Returns
-------
int or bytes
    int for integer options (``FD`` too), bytes for binary and string options
    (see :meth:`get_string` for str).

Raises
------
zmq.ZMQError
    EINVAL for an option this socket cannot read (unknown, write-only, or not
    available in the linked libzmq).
""",
    "set": """Set a socket option (same as :meth:`setsockopt`).

Options are also attributes: ``sock.linger = 0`` is ``sock.set(zmq.LINGER, 0)``.

Parameters
----------
option : int
    A ``zmq.SocketOption`` (``zmq.SUBSCRIBE``, ``zmq.LINGER``, ...).
optval : int or bytes
    int for integer options, bytes for binary and string options (use
    :meth:`set_string` to pass a str).

Raises
------
TypeError
    If ``optval`` has the wrong type for ``option`` (e.g. str for a bytes option).
zmq.ZMQError
    EINVAL for an unknown or read-only option, or a value libzmq refuses.
""",
}

CONTEXT: Dict[str, str] = {
    "closed": "True once the context is terminated.",
    "term": """Terminate the context, waiting for its sockets' pending messages.

Blocks until every socket of the context is closed (blocking calls in other threads
fail with :class:`zmq.ContextTerminated`, so that those threads can close theirs)
and, for each, its queued outgoing messages are sent or dropped as LINGER allows.
:meth:`destroy` closes this context's sockets first.

Raises
------
zmq.ZMQError
    EFAULT if the context was already terminated.
""",
    "get": """Get a context option.

Parameters
----------
option : int
    A ``zmq.ContextOption`` (``zmq.IO_THREADS``, ``zmq.MAX_SOCKETS``, ...).

Returns
-------
int
    The option's value.

Raises
------
zmq.ZMQError
    EINVAL for an option the linked libzmq does not know.
""",
    "set": """Set a context option.

Parameters
----------
option : int
    A ``zmq.ContextOption`` (``zmq.IO_THREADS``, ``zmq.MAX_SOCKETS``, ...). For
    default socket options use :meth:`setsockopt`.
optval : int
    The value.

Raises
------
zmq.ZMQError
    EINVAL for an unknown option or a value libzmq refuses.
""",
}

FRAME: Dict[str, str] = {
    "get": """Get a message property.

Parameters
----------
option : int or str
    An int ``zmq.MessageOption`` (``zmq.MORE``, ``zmq.SHARED``, ...), or a metadata
    property name as str: ``"Socket-Type"``, ``"Identity"``, ``"Peer-Address"``,
    ``"User-Id"`` (set by ZAP authentication), ``"routing_id"``, ``"group"``.

Returns
-------
int or str
    An int for MessageOptions and ``routing_id``, a str for metadata and ``group``.

Raises
------
zmq.ZMQError
    EINVAL for an unknown option or a metadata property the message lacks.
""",
    "set": """Set a message property.

Parameters
----------
option : int or str
    An int ``zmq.MessageOption``, or ``"routing_id"`` / ``"group"`` (draft sockets).
value : int or str
    The value: int for options and ``routing_id``, str for ``group``.

Raises
------
zmq.ZMQError
    EINVAL for an option that cannot be set.
""",
    "fast_copy": """A new Frame sharing this frame's data without copying it.

Returns
-------
Frame
    A frame with the same content; both refer to the same buffer.
""",
}

FUNCTIONS: Dict[str, str] = {
    "has": """Whether the linked libzmq has a capability.

Parameters
----------
capability : str
    ``"ipc"``, ``"pgm"``, ``"tipc"``, ``"norm"``, ``"curve"``, ``"gssapi"`` or
    ``"draft"``.

Returns
-------
bool
    True if libzmq was built with it.
""",
    "curve_keypair": """Generate a new CURVE key pair.

Returns
-------
(public, secret) : tuple of bytes
    The two keys, Z85-encoded (40 bytes each).

Raises
------
zmq.ZMQError
    ENOTSUP if libzmq was built without CURVE.
""",
    "curve_public": """Derive the CURVE public key of a secret key.

Parameters
----------
secret_key : bytes or str
    The Z85-encoded (40 characters) secret key.

Returns
-------
bytes
    The Z85-encoded public key.

Raises
------
zmq.ZMQError
    ENOTSUP without CURVE support; EINVAL for a malformed key.
""",
    "strerror": """The message libzmq gives for an error number.

Parameters
----------
errno : int
    An errno value (libzmq's own, such as ``zmq.ETERM``, or the system's).

Returns
-------
str
    The description, e.g. ``"Resource temporarily unavailable"`` for EAGAIN.
""",
    "zmq_errno": """The errno of the last libzmq call in this thread.

Returns
-------
int
    The value libzmq's ``zmq_errno()`` returns.
""",
    "zmq_version_info": """The version of the linked libzmq.

Returns
-------
(major, minor, patch) : tuple of int
""",
    "zmq_poll": """Poll sockets and file descriptors for events (libzmq's ``zmq_poll``).

:class:`zmq.Poller` is the friendlier interface.

Parameters
----------
sockets : list of (socket or fd, int)
    Pairs of a zmq Socket, an int file descriptor or an object with ``fileno()``,
    and the events to wait for (``zmq.POLLIN | zmq.POLLOUT | zmq.POLLERR``).
timeout : int, optional
    Milliseconds to wait; -1 (the default) or None waits until something is ready.

Returns
-------
list of (socket or fd, int)
    The items with events, each with the events that occurred.

Raises
------
zmq.ZMQError
    E.g. ENOTSOCK for a closed socket.
""",
    "proxy": """Run a proxy between two sockets in the calling thread (blocks until the
context is terminated).

Messages received on ``frontend`` are sent on ``backend`` and vice versa; with
``capture``, each is also sent there.

Parameters
----------
frontend : Socket
    The socket clients connect to (e.g. ROUTER, XSUB, PULL).
backend : Socket
    The socket workers connect to (e.g. DEALER, XPUB, PUSH).
capture : Socket, optional
    A socket (e.g. PUB or PUSH) receiving a copy of every message.

Raises
------
zmq.ContextTerminated
    When the context is terminated, which is how a proxy normally ends.
zmq.ZMQError
    For any other error.
""",
    "proxy_steerable": """Run a proxy that can be paused, resumed and stopped through a
control socket (blocks until terminated or told to stop).

.. versionadded:: 18.0

Parameters
----------
frontend : Socket
    The socket clients connect to.
backend : Socket
    The socket workers connect to.
capture : Socket, optional
    A socket receiving a copy of every message.
control : Socket, optional
    A socket on which ``b"PAUSE"``, ``b"RESUME"``, ``b"TERMINATE"`` (and
    ``b"STATISTICS"``) commands are received.

Raises
------
zmq.ContextTerminated
    When the context is terminated.
zmq.ZMQError
    For any other error.
""",
    "device": """Run a device (a proxy) between two sockets; deprecated, use :func:`proxy`.

Parameters
----------
device_type : int
    ``zmq.QUEUE``, ``zmq.FORWARDER`` or ``zmq.STREAMER`` (all behave as a proxy).
frontend : Socket
    The socket clients connect to.
backend : Socket
    The socket workers connect to.

Raises
------
zmq.ContextTerminated
    When the context is terminated.
""",
    "monitored_queue": """Run a queue between two sockets that also publishes every message on a
third (blocks until the context is terminated).

Like :func:`zmq.proxy`, but each message copied to ``mon_socket`` is prefixed with
``in_prefix`` or ``out_prefix``, saying which side it came from. Both sides may be
ROUTER sockets: their routing ids are swapped so replies find their way.

Parameters
----------
in_socket : Socket
    One side (e.g. a ROUTER clients connect to).
out_socket : Socket
    The other side (e.g. a ROUTER or DEALER workers connect to).
mon_socket : Socket
    The socket (e.g. PUB) receiving a prefixed copy of every message.
in_prefix : bytes, optional
    The first frame of copies of what ``in_socket`` received.
out_prefix : bytes, optional
    The first frame of copies of what ``out_socket`` received.

Raises
------
zmq.ContextTerminated
    When the context is terminated.
""",
}


def document(target: Any, docs: Dict[str, str]) -> None:
    """Install ``docs`` on the functions of ``target`` (a backend class or module)
    that have those names and whose docstrings can be written."""
    for name, doc in docs.items():
        func = getattr(target, name, None)
        if func is None:
            continue
        try:
            func.__doc__ = doc
        except (AttributeError, TypeError):  # a read-only builtin: keep its own
            pass
