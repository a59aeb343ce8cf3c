# cython: language_level=3
"""A third-party Cython module using zmq's C-level API (compiled by
tests/backend/test_cimport_api.py against the installed package)."""

from zmq cimport Context, Frame, Socket, libzmq
from zmq.backend.cython cimport Socket as PackageSocket
from zmq.backend.cython._zmq cimport Socket as BackendSocket
from zmq.backend.cython.libzmq cimport (
    ZMQ_POLLIN,
    ZMQ_TYPE,
    _zmq_version,
    fd_t,
    zmq_getsockopt,
    zmq_msg_close,
    zmq_msg_data,
    zmq_msg_init,
    zmq_msg_recv,
    zmq_msg_size,
    zmq_msg_t,
    zmq_poll,
    zmq_pollitem_t,
)


def same_types():
    """Whether the three cimport paths name one type."""
    return Socket is PackageSocket and Socket is BackendSocket


cdef object _raise_zmq_error():
    cdef int err = libzmq.zmq_errno()
    raise OSError(err, libzmq.zmq_strerror(err).decode())


def send_c(Socket sock not None, bytes data not None, int flags=0):
    """zmq_send() on the socket's libzmq handle, without the GIL."""
    cdef const char *buf = data
    cdef size_t size = len(data)
    cdef int rc
    with nogil:
        rc = libzmq.zmq_send(sock.handle, buf, size, flags)
    if rc < 0:
        _raise_zmq_error()
    return rc


def recv_c(Socket sock not None):
    """zmq_msg_recv() on the socket's libzmq handle, without the GIL."""
    cdef zmq_msg_t msg
    cdef int rc
    zmq_msg_init(&msg)
    with nogil:
        rc = zmq_msg_recv(&msg, sock.handle, 0)
    if rc < 0:
        zmq_msg_close(&msg)
        _raise_zmq_error()
    try:
        return (<char *>zmq_msg_data(&msg))[:zmq_msg_size(&msg)]
    finally:
        zmq_msg_close(&msg)


def frame_bytes(Frame frame not None):
    """A Frame's contents, read from its zmq_msg_t."""
    return (<char *>zmq_msg_data(&frame.zmq_msg))[:zmq_msg_size(&frame.zmq_msg)]


def send_recv_methods(Socket sender not None, Socket receiver not None, data):
    """The Python-level methods called through typed references: send, then
    recv(copy=False) as a Frame read at C level."""
    sender.send(data)
    cdef Frame frame = receiver.recv(copy=False)
    return frame_bytes(frame), frame.more


def socket_attributes(Socket sock not None):
    return {
        "handle": <size_t>sock.handle,
        "type": sock.type,
        "copy_threshold": sock.copy_threshold,
        "context": sock.context,
        "shadow": sock._shadow,
    }


def context_handle(Context ctx not None):
    return <size_t>ctx.handle


def libzmq_version():
    cdef int major = 0, minor = 0, patch = 0
    _zmq_version(&major, &minor, &patch)
    return major, minor, patch


def socket_type(Socket sock not None):
    """ZMQ_TYPE read with zmq_getsockopt."""
    cdef int value = -1
    cdef size_t size = sizeof(value)
    if zmq_getsockopt(sock.handle, ZMQ_TYPE, &value, &size) != 0:
        _raise_zmq_error()
    return value


def poll_in(Socket sock not None, long timeout_ms):
    """Whether zmq_poll() finds the socket readable within the timeout."""
    cdef zmq_pollitem_t item
    cdef int rc
    item.socket = sock.handle
    item.fd = <fd_t>0
    item.events = ZMQ_POLLIN
    item.revents = 0
    with nogil:
        rc = zmq_poll(&item, 1, timeout_ms)
    if rc < 0:
        _raise_zmq_error()
    return bool(item.revents & ZMQ_POLLIN)
