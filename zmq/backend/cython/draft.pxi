# libzmq's draft API: on a build without it, draft-only entry points raise an error that
# says how to get it (zmq.backend._draft). Only error paths and draft calls come here.

# drafts usable: this extension compiled them in and the linked libzmq has them
cdef bint _draft_on = ZMQ_PY_HAVE_DRAFT and zmq_has(b"draft")


cdef int _need_draft(str feature) except -1:
    if not _draft_on:
        from zmq.backend._draft import missing
        raise missing(feature)
    return 0


cdef int _refuse_draft_type(int socket_type) except -1:
    from zmq.backend._draft import socket_type_error
    exc = socket_type_error(socket_type)
    if exc is not None:
        raise exc
    return 0


cdef int _option_rc(int rc, int option) except -1:
    """_check_rc for set/get: a draft option refused without drafts says how to get them."""
    cdef int err
    if rc != -1:
        return 0
    err = _zmq_errno_c()
    from zmq.backend._draft import option_error
    exc = option_error(option, err, _draft_on)
    if exc is not None:
        raise exc
    return _raise_errno(err)


# ZMQ_FD of thread-safe sockets (which have none): a zmq_poller's descriptor, see
# _draft_poller.h. Kept per socket handle (shadows share it) until the socket is closed.
cdef extern from "_draft_poller.h" nogil:
    int zpy_is_thread_safe(void *socket)
    int zpy_draft_poller_new(void *socket, void **poller, int64_t *fd)
    void zpy_draft_poller_drain(void *poller)
    void zpy_draft_poller_destroy(void *poller)

# handle address -> (poller address, descriptor)
cdef dict _draft_pollers = {}


cdef object _draft_fd(void *handle):
    """The descriptor standing in for ZMQ_FD of a thread-safe socket (made on first use)."""
    cdef void *poller = NULL
    cdef int64_t fd = -1
    cdef int err
    entry = _draft_pollers.get(<size_t>handle)
    if entry is not None:
        return entry[1]
    _need_draft("ZMQ_FD of a thread-safe socket")
    _check_version((4, 3, 2), "ZMQ_FD of a thread-safe socket (zmq_poller_fd)")
    from zmq.error import DraftFDWarning
    import warnings
    warnings.warn(DraftFDWarning(), stacklevel=3)
    err = zpy_draft_poller_new(handle, &poller, &fd)
    if err:
        _raise_errno(err)
    _draft_pollers[<size_t>handle] = (<size_t>poller, fd)
    return fd


cdef void _draft_drain(void *handle):
    entry = _draft_pollers.get(<size_t>handle)
    if entry is not None:
        zpy_draft_poller_drain(<void *><size_t>entry[0])


cdef void _draft_forget(void *handle):
    """Before zmq_close: the poller must unregister from the socket while it exists."""
    entry = _draft_pollers.pop(<size_t>handle, None)
    if entry is not None:
        zpy_draft_poller_destroy(<void *><size_t>entry[0])


cdef bytes _c_group(object group):
    """A group (str or bytes) as libzmq takes it; too long or NUL: an error, not cut."""
    from zmq.backend._draft import check_group
    return check_group(_c_addr(group))
