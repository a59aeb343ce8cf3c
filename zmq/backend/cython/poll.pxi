# zmq_poll over zmq sockets and plain file descriptors.

cdef zmq_fd_t _fileno(object obj) except? -1:
    if isinstance(obj, int):
        return obj
    fileno = getattr(obj, "fileno", None)
    if fileno is None:
        raise TypeError(
            f"poll items must be zmq sockets, int fds or have fileno(), got {obj!r}"
        )
    fd = fileno()
    if not isinstance(fd, int):
        raise TypeError(f"{obj!r}.fileno() returned {fd!r}, not an int")
    return fd


def zmq_poll(sockets, timeout=-1):
    """Poll ``sockets`` — a sequence of ``(socket | fd | obj with fileno(), events)`` —
    for up to ``timeout`` ms (None or negative: forever), without the GIL.
    Returns ``[(socket or fd, revents)]`` for the items with events."""
    cdef list items = list(sockets)
    cdef Py_ssize_t n = len(items), i
    cdef zmq_pollitem_t *pollitems
    cdef long c_timeout = -1, left
    cdef long long deadline = 0
    cdef int rc = 0, err = 0
    cdef list busy = []
    if timeout is not None and timeout >= 0:
        c_timeout = <long>timeout
        deadline = zc_now_ms() + c_timeout
    if n > 0x7FFFFFFF:
        raise ValueError("too many poll items")
    pollitems = <zmq_pollitem_t *>malloc(max(n, 1) * sizeof(zmq_pollitem_t))
    if pollitems == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            obj, events = items[i]
            pollitems[i].socket = NULL
            pollitems[i].fd = 0
            pollitems[i].events = events
            pollitems[i].revents = 0
            if isinstance(obj, Socket):
                if (<Socket>obj)._closed:
                    _raise_closed()
                pollitems[i].socket = (<Socket>obj).handle
                busy.append(obj)
            else:
                pollitems[i].fd = _fileno(obj)
        for obj in busy:
            (<Socket>obj)._busy += 1  # see Socket.close
        left = c_timeout
        while True:
            with nogil:
                rc = _zmq_poll_c(pollitems, <int>n, left)
                if rc < 0:
                    err = _zmq_errno_c()
            if rc >= 0:
                break
            if err != EINTR:
                _raise_errno(err)
            _retry_after_signal()
            if c_timeout >= 0:
                left = <long>max(deadline - zc_now_ms(), 0)
        # like pyzmq: zmq sockets come back as themselves, anything else as the fd polled
        return [
            (items[i][0] if pollitems[i].socket != NULL else pollitems[i].fd,
             pollitems[i].revents)
            for i in range(n) if pollitems[i].revents
        ]
    finally:
        for obj in busy:
            (<Socket>obj)._busy -= 1
        free(pollitems)
