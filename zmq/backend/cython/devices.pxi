# Devices: libzmq's proxies, plus pyzmq's monitored_queue, each run without the GIL.

cdef void *_socket_handle(object sock, str role) except NULL:
    if not isinstance(sock, Socket):
        raise TypeError(f"{role} must be a zmq Socket, got {sock!r}")
    if (<Socket>sock)._closed:
        _raise_closed()
    return (<Socket>sock).handle


cdef void *_optional_handle(object sock, str role) except? NULL:
    if sock is None:
        return NULL
    return _socket_handle(sock, role)


cdef void _mark_busy(tuple sockets, int change) noexcept:
    """Count a call running without the GIL on each socket (see Socket.close)."""
    for s in sockets:
        if s is not None:
            (<Socket>s)._busy += change


cdef extern from "_proxy.h" nogil:
    ctypedef struct zpx_state:
        pass
    void zpx_init(zpx_state *st)
    void zpx_clear(zpx_state *st)
    int zpx_run(void *front, void *back, void *capture, zpx_state *st)


def proxy(frontend, backend, capture=None):
    """Forward messages between frontend and backend (and copy them to capture) until
    the context is terminated, which raises ContextTerminated, like libzmq. Signals run
    their handlers without losing or splitting a message; frontend may be backend."""
    cdef void *c_front = _socket_handle(frontend, "frontend")
    cdef void *c_back = _socket_handle(backend, "backend")
    cdef void *c_capture = _optional_handle(capture, "capture")
    cdef zpx_state state
    cdef int err
    cdef tuple busy = (frontend, backend, capture)
    zpx_init(&state)
    _mark_busy(busy, 1)
    try:
        while True:
            with nogil:
                err = zpx_run(c_front, c_back, c_capture, &state)
            if err != EINTR:
                _raise_errno(err)
            _retry_after_signal()
    finally:
        _mark_busy(busy, -1)
        zpx_clear(&state)


def proxy_steerable(frontend, backend, capture=None, control=None):
    """Like proxy, controlled by messages on ``control`` (PAUSE, RESUME, TERMINATE,
    STATISTICS); returns after TERMINATE."""
    cdef void *c_front = _socket_handle(frontend, "frontend")
    cdef void *c_back = _socket_handle(backend, "backend")
    cdef void *c_capture = _optional_handle(capture, "capture")
    cdef void *c_control = _optional_handle(control, "control")
    cdef int rc, err = 0
    _check_version((4, 1), "proxy_steerable")
    cdef tuple busy = (frontend, backend, capture, control)
    _mark_busy(busy, 1)
    try:
        while True:
            with nogil:
                rc = zmq_proxy_steerable(c_front, c_back, c_capture, c_control)
                err = _zmq_errno_c()
            if rc == 0 or err != EINTR:
                break
            _retry_after_signal()
    finally:
        _mark_busy(busy, -1)
    if rc != 0:
        _raise_errno(err)


def device(int device_type, frontend, backend=None):
    """Deprecated alias of proxy (the device type is ignored, as in libzmq 3+)."""
    return proxy(frontend, backend)


cdef enum:
    _MQ_SIGNAL = -2  # returned by the loop after a signal handler raised


cdef int _mq_retry(int rc) noexcept nogil:
    """For calls inside the monitored_queue loop: 1 to retry (EINTR and handlers ran
    fine), 0 if rc is success, -1 on error, _MQ_SIGNAL if a handler raised."""
    if rc >= 0:
        return 0
    if _zmq_errno_c() != EINTR:
        return -1
    with gil:
        if PyErr_CheckSignals() < 0:
            return _MQ_SIGNAL
    return 1


cdef int _mq_forward(void *src, void *dst, void *mon, const char *prefix, size_t prefix_len,
                     bint swap_ids) noexcept nogil:
    """Move one whole message from src to dst, copying it to mon after the prefix."""
    cdef zmq_msg_t msg, copy, first_id
    cdef int rc, state, more = 1, index = 0, flags
    cdef bint have_first_id = False
    while True:
        rc = zmq_send(mon, prefix, prefix_len, ZMQ_SNDMORE)
        state = _mq_retry(rc)
        if state != 1:
            break
    if state != 0:
        return state
    zmq_msg_init(&msg)
    zmq_msg_init(&copy)
    zmq_msg_init(&first_id)
    while more:
        while True:
            rc = zmq_msg_recv(&msg, src, 0)
            state = _mq_retry(rc)
            if state != 1:
                break
        if state != 0:
            break
        more = zmq_msg_more(&msg)
        if swap_ids and index == 0:
            # ROUTER to ROUTER: hold the sender's id, send the destination id first
            zmq_msg_move(&first_id, &msg)
            have_first_id = True
            index += 1
            continue
        flags = ZMQ_SNDMORE if more or (have_first_id and index == 1) else 0
        zmq_msg_copy(&copy, &msg)
        while True:
            rc = zmq_msg_send(&msg, dst, flags)
            state = _mq_retry(rc)
            if state != 1:
                break
        if state == 0:
            while True:
                rc = zmq_msg_send(&copy, mon, flags)
                state = _mq_retry(rc)
                if state != 1:
                    break
        if state != 0:
            break
        if have_first_id and index == 1:
            flags = ZMQ_SNDMORE if more else 0
            zmq_msg_copy(&copy, &first_id)
            while True:
                rc = zmq_msg_send(&first_id, dst, flags)
                state = _mq_retry(rc)
                if state != 1:
                    break
            if state == 0:
                while True:
                    rc = zmq_msg_send(&copy, mon, flags)
                    state = _mq_retry(rc)
                    if state != 1:
                        break
            if state != 0:
                break
        index += 1
    zmq_msg_close(&msg)
    zmq_msg_close(&copy)
    zmq_msg_close(&first_id)
    return state


cdef int _mq_loop(void *ins, void *outs, void *mon, const char *in_prefix, size_t in_len,
                  const char *out_prefix, size_t out_len, bint swap_ids) noexcept nogil:
    cdef zmq_pollitem_t items[2]
    cdef int rc, state
    items[0].socket = ins
    items[0].events = ZMQ_POLLIN
    items[1].socket = outs
    items[1].events = ZMQ_POLLIN
    while True:
        rc = _zmq_poll_c(items, 2, -1)
        state = _mq_retry(rc)
        if state == 1:
            continue
        if state != 0:
            return state
        if items[0].revents & ZMQ_POLLIN:
            state = _mq_forward(ins, outs, mon, in_prefix, in_len, swap_ids)
            if state != 0:
                return state
        if items[1].revents & ZMQ_POLLIN:
            state = _mq_forward(outs, ins, mon, out_prefix, out_len, swap_ids)
            if state != 0:
                return state


def monitored_queue(in_socket, out_socket, mon_socket, in_prefix=b"in", out_prefix=b"out"):
    """A queue between in_socket and out_socket that also publishes every message on
    mon_socket, prefixed by in_prefix or out_prefix (by direction). With two ROUTER
    sockets the first two frames (identities) are swapped. Runs until an error, e.g.
    ContextTerminated."""
    cdef void *ins = _socket_handle(in_socket, "in_socket")
    cdef void *outs = _socket_handle(out_socket, "out_socket")
    cdef void *mon = _socket_handle(mon_socket, "mon_socket")
    cdef bytes c_in = _c_addr(in_prefix)
    cdef bytes c_out = _c_addr(out_prefix)
    cdef const char *p_in = c_in
    cdef const char *p_out = c_out
    cdef size_t in_len = len(c_in), out_len = len(c_out)
    cdef bint swap_ids = (
        (<Socket>in_socket).type == ZMQ_ROUTER
        and (<Socket>out_socket).type == ZMQ_ROUTER
    )
    cdef int state
    cdef tuple busy = (in_socket, out_socket, mon_socket)
    _mark_busy(busy, 1)
    try:
        with nogil:
            state = _mq_loop(ins, outs, mon, p_in, in_len, p_out, out_len, swap_ids)
    finally:
        _mark_busy(busy, -1)
    if state == _MQ_SIGNAL:
        raise  # the exception set by the signal handler
    _raise_errno(_zmq_errno_c())
