# Socket: a libzmq socket owned by Python (or shadowed by address), with the hot path
# (send/recv of bytes and multipart messages) done here in C.

cdef object _option_types = None


cdef object _option_type(int option):
    """The value type of a socket option ("int", "int64", "bytes" or "fd"), from
    zmq.constants (unknown options are ints)."""
    global _option_types
    if _option_types is None:
        from zmq.constants import _OPTION_TYPES
        _option_types = _OPTION_TYPES
    return _option_types.get(option, "int")


# Sends and receives, paced per socket to keep GIL hand-offs off the hot path:
# - A receive is first tried with ZMQ_DONTWAIT while holding the GIL (no GIL round trip
#   when a message is already queued), then, unless the caller asked for DONTWAIT,
#   without the GIL. The first try is adaptive: when it finds nothing queued, the next
#   _BLOCKING_RECVS receives go straight to the blocking call, since a failed try costs
#   libzmq extra polls (REQ/REP, where every receive waits, pays it on each round trip).
# - A send that follows a receive (a reply, a request) releases the GIL: the peer thread
#   libzmq wakes can take it at once instead of sleeping on it (holding it there makes
#   inproc REQ/REP round trips ~2-3x slower). A send that follows a send (a stream) is
#   tried with DONTWAIT while holding the GIL, and waits without it only at the
#   high-water mark: a stream then runs in batches instead of handing the GIL to the
#   receiving thread on every message (inproc PUSH/PULL ~2.5x faster).
# EINTR runs Python's signal handlers and retries.

cdef enum _Op:
    _SEND_BUF
    _SEND_MSG
    _RECV_BUF
    _RECV_MSG


# (_Pace, the per-socket state of this pacing: _zmq.pxd)


cdef inline int _io(_Op op, void *handle, void *target, size_t size, int flags) noexcept nogil:
    if op == _SEND_BUF:
        return zmq_send(handle, target, size, flags)
    if op == _SEND_MSG:
        return zmq_msg_send(<zmq_msg_t *>target, handle, flags)
    if op == _RECV_BUF:
        return zmq_recv(handle, target, size, flags)
    return zmq_msg_recv(<zmq_msg_t *>target, handle, flags)


# The tunables (the CFFI backend uses the same names for the same things):
cdef enum:
    # receives that go straight to the blocking call after a try found nothing: inproc
    # REQ/REP 64 B made 6.9 -> 5.2 poll() and 0.10 -> 0.015 futex() calls per round trip
    _BLOCKING_RECVS = 8
    # a send after a send that copies at least this much releases the GIL at once instead
    # of trying with it held (holding it for a stream of small sends: inproc PUSH/PULL
    # ~2.5x faster). Inproc streams of copied buffers, cpu us/msg, held vs released:
    # 3x16 KiB multipart 13 vs 17; 64 KiB 47 vs 20, 128 KiB 96 vs 29, 2x64 KiB 105 vs 30
    _NOGIL_SEND = 65536
    # a received message is copied into bytes without the GIL from this size on: a 64 KiB
    # memcpy is shorter than a GIL hand-off (inproc PUSH/PULL 64 KiB copy: 30 -> 27 us/msg
    # cpu at 256 KiB rather than 64 KiB); keeping the GIL for 1 MiB copies was no better
    _NOGIL_RECV_COPY = 262144
    # a copy=True send of bytes at least this large shares the bytes with libzmq instead
    # of copying them: the release costs less than copying and allocating that much
    # (cpu msg/s against copying: inproc 64 KiB 12x, 1 MiB 4.6x; ipc and tcp 1 MiB 2.1x
    # and 1.7x); the default copy_threshold
    _SHARE_BYTES = 65536


cdef inline bint _try_first(_Op op, size_t size, int flags, _Pace *pace) noexcept:
    """Whether to try op with DONTWAIT while holding the GIL; updates pace."""
    if pace == NULL:  # a later frame of a message: it is queued or accepted at once
        return True
    if op == _SEND_BUF or op == _SEND_MSG:
        if not pace.streaming:
            pace.streaming = True
            return flags & ZMQ_DONTWAIT
        return op == _SEND_MSG or size < _NOGIL_SEND or flags & ZMQ_DONTWAIT
    pace.streaming = False
    if pace.recv_skip > 0 and not flags & ZMQ_DONTWAIT:
        pace.recv_skip -= 1
        return False
    return True


cdef inline int _blocking_io(_Op op, Socket sock, void *target, size_t size,
                             int flags, _Pace *pace) except -1:
    """One send/recv: returns libzmq's (non-negative) result or raises. pace is the
    socket's pacing state (NULL for the later frames of a message)."""
    cdef int rc
    cdef int err = EAGAIN
    cdef void *handle = sock.handle
    if _try_first(op, size, flags, pace):
        rc = _io(op, handle, target, size, flags | ZMQ_DONTWAIT)
        if rc >= 0:
            return rc
        err = _zmq_errno_c()
        if err == EINTR:  # libzmq reports signals even without blocking
            _retry_after_signal()
        elif err != EAGAIN or flags & ZMQ_DONTWAIT:
            return _raise_errno(err)
        elif pace != NULL and (op == _RECV_BUF or op == _RECV_MSG):
            pace.recv_skip = _BLOCKING_RECVS
    sock._busy += 1  # close() after a context shutdown waits for this call to leave
    try:
        handle = sock.handle  # NULL (ENOTSOCK) if a signal handler closed it
        while True:
            with nogil:
                rc = _io(op, handle, target, size, flags)
                if rc < 0:
                    err = _zmq_errno_c()
            if rc >= 0:
                return rc
            if err != EINTR:
                return _raise_errno(err)
            _retry_after_signal()
            handle = sock.handle
    finally:
        sock._busy -= 1


ctypedef struct _Part:
    const void *buf  # the data of a bytes-like part, or
    zmq_msg_t *frame  # the message of a Frame part (sent as a new reference)
    size_t size
    bint has_view  # holds a Py_buffer to release


cdef int _send_parts(void *handle, _Part *parts, Py_ssize_t n, int flags, Py_ssize_t *sent,
                     int *err) noexcept nogil:
    """Send parts[sent:] as the rest of one message; -1 with err set on failure."""
    cdef zmq_msg_t msg
    cdef int rc
    cdef Py_ssize_t i
    for i in range(sent[0], n):
        part_flags = flags | ZMQ_SNDMORE if i < n - 1 else flags
        if parts[i].frame != NULL:
            zmq_msg_init(&msg)
            rc = zmq_msg_copy(&msg, parts[i].frame)
            if rc == 0:
                rc = zmq_msg_send(&msg, handle, part_flags)
            if rc < 0:
                err[0] = _zmq_errno_c()
                zmq_msg_close(&msg)
                return -1
        elif zmq_send(handle, parts[i].buf, parts[i].size, part_flags) < 0:
            err[0] = _zmq_errno_c()
            return -1
        sent[0] = i + 1
    return 0


cdef inline int _send_raw(Socket sock, const void *buf, size_t size, int flags,
                          _Pace *pace) except -1:
    return _blocking_io(_SEND_BUF, sock, <void *>buf, size, flags, pace)


cdef int _send_msg(Socket sock, zmq_msg_t *msg, int flags, _Pace *pace) except -1:
    """Send msg; it is consumed on success and closed on failure."""
    try:
        return _blocking_io(_SEND_MSG, sock, msg, 0, flags, pace)
    except BaseException:
        zmq_msg_close(msg)
        raise


cdef inline int _recv_msg(Socket sock, zmq_msg_t *msg, int flags, _Pace *pace) except -1:
    """Receive into msg (initialised; still owned by the caller on failure)."""
    return _blocking_io(_RECV_MSG, sock, msg, 0, flags, pace)


cdef int _copy_frame_msg(zmq_msg_t *msg, Frame frame) except -1:
    """msg becomes another reference to frame's data, so the Frame stays sendable."""
    zmq_msg_init(msg)
    if zmq_msg_copy(msg, &frame.zmq_msg) != 0:
        zmq_msg_close(msg)
        _raise_errno(_zmq_errno_c())
    return 0


cdef inline bytes _msg_bytes(zmq_msg_t *msg):
    cdef size_t size = zmq_msg_size(msg)
    cdef bytes result
    cdef char *target
    if size < _NOGIL_RECV_COPY:
        return PyBytes_FromStringAndSize(<char *>zmq_msg_data(msg), size)
    result = PyBytes_FromStringAndSize(NULL, size)
    target = PyBytes_AS_STRING(result)  # not shared with anyone yet
    with nogil:
        memcpy(target, zmq_msg_data(msg), size)
    return result


cdef int _raise_addr_error(int err, object addr) except -1:
    if err in (EAGAIN, ETERM, EINTR):
        return _raise_errno(err)
    text = zmq_strerror(err).decode("utf-8", "replace")
    if isinstance(addr, (str, bytes)) and _c_addr(addr).startswith(b"ipc://"):
        if len(_c_addr(addr)) - 6 > <Py_ssize_t>ZMQ_PY_IPC_PATH_MAX_LEN:
            text += f"; ipc paths are limited to {ZMQ_PY_IPC_PATH_MAX_LEN} bytes"
    raise ZMQError(err, f"{text} (addr={addr!r})")  # pyzmq's wording


cdef class Socket:
    """Socket(context=None, socket_type=-1, shadow=0, copy_threshold=None)

    A libzmq socket of ``socket_type`` in ``context`` (a Context), or, with ``shadow``,
    the int address of a socket owned elsewhere (used, never closed, by this object).
    Not thread-safe, like libzmq sockets.
    """

    # (attributes: _zmq.pxd)

    def __cinit__(self, *args, **kwargs):
        self._closed = True

    def __init__(self, context=None, int socket_type=-1, shadow=0, copy_threshold=None):
        cdef size_t address = shadow
        cdef Context ctx
        cdef int stype = 0
        cdef size_t size = sizeof(int)
        if self.handle != NULL:
            raise RuntimeError("Socket is already initialised")
        self.copy_threshold = (
            _default_copy_threshold() if copy_threshold is None else copy_threshold
        )
        self.context = context
        if address:
            self._shadow = True
            self.handle = <void *>address
            _check_rc(zmq_getsockopt(self.handle, ZMQ_TYPE, &stype, &size))
            socket_type = stype
        else:
            if not isinstance(context, Context):
                raise TypeError(f"context must be a zmq Context, got {context!r}")
            if socket_type < 0:
                raise TypeError("socket_type must be specified")
            ctx = <Context>context
            if ctx._closed:
                raise ContextTerminated()
            if not _draft_on:
                _refuse_draft_type(socket_type)
            self.handle = zmq_socket(ctx.handle, socket_type)
            if self.handle == NULL:
                _raise_errno(_zmq_errno_c())
            ctx._n_sockets += 1
            self._owner = ctx
        self.type = socket_type
        self._closed = False
        self._pid = zmq_py_getpid()

    def __dealloc__(self):
        # zmq_close never blocks; a forked child must not close the parent's socket
        if (self.handle != NULL and not self._closed and not self._shadow
                and self._pid == zmq_py_getpid()):
            if _draft_pollers:
                _draft_forget(self.handle)
            zmq_close(self.handle)
        if self._owner is not None and not self._closed:
            self._owner._n_sockets -= 1

    @property
    def underlying(self) -> int:
        """The address of the libzmq socket (0 once closed)."""
        return <size_t>self.handle

    @property
    def closed(self) -> bool:
        cdef int stype = 0
        cdef size_t size = sizeof(int)
        if self._closed:
            return True
        if self._shadow:
            # the owner may have closed it
            return zmq_getsockopt(self.handle, ZMQ_TYPE, &stype, &size) != 0 and _zmq_errno_c() == ENOTSOCK
        return False

    def close(self, linger=None):
        """Close the socket (idempotent). ``linger`` (ms) overrides LINGER first."""
        cdef int c_linger
        if self._closed:
            return
        if self._busy and self._owner is not None and self._owner._shut_down:
            # other threads are leaving their calls with ETERM: closing under them
            # would pull the socket from under libzmq
            while self._busy:
                with nogil:
                    zc_sleep_ms(1)
            if self._closed:
                return
        if linger is not None:
            c_linger = linger
            # best effort: after context termination began, setting it fails with ETERM
            zmq_setsockopt(self.handle, ZMQ_LINGER, &c_linger, sizeof(int))
        if not self._shadow and self._pid == zmq_py_getpid():
            if _draft_pollers:
                _draft_forget(self.handle)
            zmq_close(self.handle)
        self._closed = True
        self.handle = NULL
        if self._owner is not None:
            self._owner._n_sockets -= 1
            self._owner = None

    # ---- options ----

    def set(self, int option, optval):
        """Set a socket option; the value type follows the option (see
        zmq.constants._OPTION_TYPES): int, int64, bytes, str (encoded utf-8) or fd."""
        cdef int c_int
        cdef int64_t c_int64
        cdef Py_buffer view
        cdef int rc
        if self._closed:
            _raise_closed()
        kind = _option_type(option)
        if kind == "bytes":
            if isinstance(optval, str):
                raise TypeError(f"option {option} takes bytes, not str: encode it first "
                                "(or use setsockopt_string)")
            if not PyObject_CheckBuffer(optval):
                raise TypeError(f"expected bytes, got: {optval!r}")
            _get_buffer(optval, &view, PyBUF_ANY_CONTIGUOUS, -1)
            rc = zmq_setsockopt(self.handle, option, view.buf, view.len)
            PyBuffer_Release(&view)
        elif not isinstance(optval, int):
            raise TypeError(f"expected int, got: {optval!r}")
        elif kind == "int64":
            c_int64 = optval
            rc = zmq_setsockopt(self.handle, option, &c_int64, sizeof(int64_t))
        else:
            c_int = optval
            rc = zmq_setsockopt(self.handle, option, &c_int, sizeof(int))
        _option_rc(rc, option)

    def get(self, int option):
        """Get a socket option: int, or bytes for bytes/str options (without the
        terminating NUL of C strings; CURVE keys as 40-byte Z85)."""
        cdef int c_int
        cdef int64_t c_int64
        cdef zmq_fd_t c_fd
        cdef char buf[1024]
        cdef size_t size
        cdef int err
        if self._closed:
            _raise_closed()
        kind = _option_type(option)
        if kind == "bytes":
            size = sizeof(buf)
            if option in (ZMQ_CURVE_PUBLICKEY, ZMQ_CURVE_SECRETKEY, ZMQ_CURVE_SERVERKEY):
                size = 41  # libzmq answers 32 (binary) or 41 (Z85 + NUL) bytes, nothing else
            _option_rc(zmq_getsockopt(self.handle, option, buf, &size), option)
            # C strings (endpoints, names, Z85 keys) lose their NUL; routing ids are binary
            if size > 0 and buf[size - 1] == 0 and option != ZMQ_ROUTING_ID:
                size -= 1
            return PyBytes_FromStringAndSize(buf, size)
        if kind == "int64":
            size = sizeof(int64_t)
            _option_rc(zmq_getsockopt(self.handle, option, &c_int64, &size), option)
            return c_int64
        if kind == "fd":
            size = sizeof(zmq_fd_t)
            if zmq_getsockopt(self.handle, option, &c_fd, &size) != 0:
                err = _zmq_errno_c()
                if option == ZMQ_FD and err == EINVAL and zpy_is_thread_safe(self.handle):
                    return _draft_fd(self.handle)
                _raise_errno(err)
            return c_fd
        if option == ZMQ_EVENTS and _draft_pollers:
            _draft_drain(self.handle)  # re-arm the stand-in ZMQ_FD before reading events
        size = sizeof(int)
        _option_rc(zmq_getsockopt(self.handle, option, &c_int, &size), option)
        return c_int

    # ---- endpoints ----

    def bind(self, addr):
        """Bind to an endpoint (str; bytes accepted), e.g. "tcp://127.0.0.1:*"."""
        cdef bytes c_addr = _c_addr(addr)
        if self._closed:
            _raise_closed()
        if zmq_bind(self.handle, c_addr) != 0:
            _raise_addr_error(_zmq_errno_c(), addr)

    def connect(self, addr):
        """Connect to an endpoint (str; bytes accepted)."""
        cdef bytes c_addr = _c_addr(addr)
        if self._closed:
            _raise_closed()
        if zmq_connect(self.handle, c_addr) != 0:
            _raise_addr_error(_zmq_errno_c(), addr)

    def unbind(self, addr):
        """Stop listening on an endpoint bound earlier."""
        cdef bytes c_addr = _c_addr(addr)
        if self._closed:
            _raise_closed()
        if zmq_unbind(self.handle, c_addr) != 0:
            _raise_addr_error(_zmq_errno_c(), addr)

    def disconnect(self, addr):
        """Disconnect from an endpoint connected earlier."""
        cdef bytes c_addr = _c_addr(addr)
        if self._closed:
            _raise_closed()
        if zmq_disconnect(self.handle, c_addr) != 0:
            _raise_addr_error(_zmq_errno_c(), addr)

    def monitor(self, addr, int events=ZMQ_EVENT_ALL):
        """Publish this socket's events on a PAIR socket bound at ``addr`` (inproc);
        ``addr=None`` stops monitoring."""
        cdef bytes c_addr
        cdef const char *c_addr_p = NULL
        _check_version((3, 2), "monitor")
        if self._closed:
            _raise_closed()
        if addr is not None:
            c_addr = _c_addr(addr)
            c_addr_p = c_addr
        _check_rc(zmq_socket_monitor(self.handle, c_addr_p, events))

    def join(self, group):
        """Join a RADIO/DISH group (draft API)."""
        _check_version((4, 2), "RADIO-DISH")
        _need_draft("Socket.join (RADIO-DISH)")
        cdef bytes c_group = _c_group(group)
        if self._closed:
            _raise_closed()
        _check_rc(zmq_join(self.handle, c_group))

    def leave(self, group):
        """Leave a RADIO/DISH group (draft API)."""
        _check_version((4, 2), "RADIO-DISH")
        _need_draft("Socket.leave (RADIO-DISH)")
        cdef bytes c_group = _c_group(group)
        if self._closed:
            _raise_closed()
        _check_rc(zmq_leave(self.handle, c_group))

    # ---- sending ----

    def send(self, data, int flags=0, bint copy=True, bint track=False,
             routing_id=None, group=None):
        """Send one frame: bytes or any contiguous buffer, or a Frame.

        ``copy=False`` shares the buffer with libzmq (zero-copy) if it is at least
        ``copy_threshold`` bytes. Returns a MessageTracker if ``track`` and not ``copy``
        (or the Frame's tracker when sending a Frame), else None.
        """
        cdef zmq_msg_t msg
        cdef bint readonly
        cdef Py_buffer view
        _zc_release_pending()
        if self._closed:
            _raise_closed()
        if routing_id is None and group is None:
            if type(data) is bytes and copy:
                if PyBytes_GET_SIZE(data) < _SHARE_BYTES:
                    _send_raw(self, PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data),
                              flags, &self._pace)
                    return None
                # bytes are immutable: sharing them is indistinguishable from a copy
                _init_msg(&msg, data, False, 0, False, &readonly)
                _send_msg(self, &msg, flags, &self._pace)
                return None
            if isinstance(data, Frame):
                if track and (<Frame>data).tracker is None:
                    raise ValueError("Not a tracked message")
                _copy_frame_msg(&msg, <Frame>data)
                _send_msg(self, &msg, flags, &self._pace)
                return (<Frame>data).tracker
            if copy:
                _get_buffer(data, &view, PyBUF_ANY_CONTIGUOUS, -1)
                try:
                    _send_raw(self, view.buf, view.len, flags, &self._pace)
                finally:
                    PyBuffer_Release(&view)
                return None
        if routing_id is not None or group is not None:
            _need_draft("send(routing_id=, group=)")
        if isinstance(data, Frame):
            _copy_frame_msg(&msg, <Frame>data)
            event = None
        else:
            event = _init_msg(&msg, data, copy, self.copy_threshold, track, &readonly)
        try:
            if routing_id is not None:
                _check_rc(zmq_msg_set_routing_id(&msg, routing_id))
            if group is not None:
                _check_rc(zmq_msg_set_group(&msg, _c_group(group)))
        except BaseException:
            zmq_msg_close(&msg)
            raise
        _send_msg(self, &msg, flags, &self._pace)
        if isinstance(data, Frame):
            return (<Frame>data).tracker
        if not track or copy:
            return None
        if event is None:
            return _FINISHED_TRACKER
        return MessageTracker(event)

    def send_multipart(self, msg_parts, int flags=0, bint copy=True, bint track=False,
                       **kwargs):
        """Send a sequence of frames as one message. Every frame is checked (and every
        zero-copy message built) before the first is sent, so a bad frame raises
        TypeError naming its index and nothing is sent."""
        cdef tuple parts
        cdef Py_ssize_t n, i, ready = 0, built = 0, consumed = 0
        cdef Py_buffer small_views[8]
        cdef Py_buffer *views = small_views
        cdef zmq_msg_t small_msgs[8]
        cdef zmq_msg_t *msgs = small_msgs
        cdef _Part small_parts[8]
        cdef _Part *cparts = small_parts
        cdef Py_ssize_t sent = 0
        cdef size_t copied = 0  # bytes libzmq copies for the non-Frame parts
        cdef int rc, err = 0
        cdef bint readonly
        cdef object part
        cdef void *handle
        _zc_release_pending()
        if self._closed:
            _raise_closed()
        # a tuple holds a reference to every frame while libzmq reads them without the GIL
        parts = msg_parts if type(msg_parts) is tuple else tuple(msg_parts)
        n = len(parts)
        if n == 0:
            raise ValueError("send_multipart needs at least one frame")
        if kwargs:
            # per-frame options (routing_id, group): pyzmq's per-frame semantics, through
            # this class's send (a subclass's send, e.g. an async one, is not this one)
            for i in range(n - 1):
                Socket.send(self, parts[i], flags | ZMQ_SNDMORE, copy, track, **kwargs)
            return Socket.send(self, parts[n - 1], flags, copy, track, **kwargs)
        for i in range(n):
            part = parts[i]
            if not (type(part) is bytes or isinstance(part, Frame) or PyObject_CheckBuffer(part)):
                _get_buffer(part, &small_views[0], PyBUF_ANY_CONTIGUOUS, i)  # raises
        if copy:
            if n > 8:
                views = <Py_buffer *>malloc(n * sizeof(Py_buffer))
                cparts = <_Part *>malloc(n * sizeof(_Part))
                if views == NULL or cparts == NULL:
                    free(views)
                    free(cparts)
                    raise MemoryError()
            try:
                for i in range(n):
                    part = parts[i]
                    cparts[i].frame = NULL
                    cparts[i].has_view = False
                    if type(part) is bytes:
                        cparts[i].buf = PyBytes_AS_STRING(part)
                        cparts[i].size = PyBytes_GET_SIZE(part)
                        copied += cparts[i].size
                    elif isinstance(part, Frame):
                        cparts[i].frame = &(<Frame>part).zmq_msg
                    else:
                        _get_buffer(part, &views[i], PyBUF_ANY_CONTIGUOUS, i)
                        cparts[i].has_view = True
                        cparts[i].buf = views[i].buf
                        cparts[i].size = views[i].len
                        copied += cparts[i].size
                    ready = i + 1
                # the whole message in one call into C (the tuple and views pin the data);
                # paced like a single send of the bytes it copies
                if _try_first(_SEND_BUF, copied, flags, &self._pace):
                    rc = _send_parts(self.handle, cparts, n, flags | ZMQ_DONTWAIT, &sent, &err)
                    if rc == 0:
                        return None
                    if err == EINTR:
                        _retry_after_signal()
                    elif err != EAGAIN or flags & ZMQ_DONTWAIT:
                        _raise_errno(err)
                self._busy += 1
                try:
                    while True:
                        handle = self.handle
                        with nogil:
                            rc = _send_parts(handle, cparts, n, flags, &sent, &err)
                        if rc == 0:
                            return None
                        if err != EINTR:
                            _raise_errno(err)
                        _retry_after_signal()
                finally:
                    self._busy -= 1
            finally:
                for i in range(ready):
                    if cparts[i].has_view:
                        PyBuffer_Release(&views[i])
                if views != small_views:
                    free(views)
                    free(cparts)

        # zero-copy: build every message first, then send them
        watched = []
        if n > 8:
            msgs = <zmq_msg_t *>malloc(n * sizeof(zmq_msg_t))
            if msgs == NULL:
                raise MemoryError()
        try:
            for i in range(n):
                part = parts[i]
                if isinstance(part, Frame):
                    if track and (<Frame>part).tracker is None:
                        raise ValueError(f"frame {i} is not a tracked message")
                    _copy_frame_msg(&msgs[i], <Frame>part)
                    if (<Frame>part).tracker is not None:
                        watched.append((<Frame>part).tracker)
                else:
                    event = _init_msg(&msgs[i], part, False, self.copy_threshold, track,
                                      &readonly)
                    if event is not None:
                        watched.append(event)
                built = i + 1
            for i in range(n):
                consumed = i + 1  # _send_msg sends or closes msgs[i]
                _send_msg(self, &msgs[i], flags | ZMQ_SNDMORE if i < n - 1 else flags,
                          &self._pace if i == 0 else NULL)
        finally:
            for i in range(consumed, built):
                zmq_msg_close(&msgs[i])
            if msgs != small_msgs:
                free(msgs)
        if track:
            return MessageTracker(*watched)
        return None

    # ---- receiving ----

    def recv(self, int flags=0, bint copy=True, bint track=False):
        """Receive one frame: bytes, or a Frame if ``copy=False``."""
        cdef zmq_msg_t msg
        cdef Frame frame
        _zc_release_pending()
        if self._closed:
            _raise_closed()
        if copy:
            zmq_msg_init(&msg)
            try:
                _recv_msg(self, &msg, flags, &self._pace)
                return _msg_bytes(&msg)
            finally:
                zmq_msg_close(&msg)
        frame = _new_frame()
        _recv_msg(self, &frame.zmq_msg, flags, &self._pace)
        frame.more = zmq_msg_more(&frame.zmq_msg)
        if track:
            frame.tracker = _FINISHED_TRACKER
        return frame

    def recv_multipart(self, int flags=0, bint copy=True, bint track=False):
        """Receive every frame of one message: a list of bytes (or Frames if
        ``copy=False``)."""
        cdef zmq_msg_t msg
        cdef Frame frame
        cdef list parts = []
        _zc_release_pending()
        if self._closed:
            _raise_closed()
        cdef _Pace *pace = &self._pace  # the first frame only
        if copy:
            zmq_msg_init(&msg)
            try:
                while True:
                    _recv_msg(self, &msg, flags, pace)
                    pace = NULL
                    parts.append(_msg_bytes(&msg))
                    if not zmq_msg_more(&msg):
                        return parts
            finally:
                zmq_msg_close(&msg)
        while True:
            frame = _new_frame()
            _recv_msg(self, &frame.zmq_msg, flags, pace)
            pace = NULL
            frame.more = zmq_msg_more(&frame.zmq_msg)
            if track:
                frame.tracker = _FINISHED_TRACKER
            parts.append(frame)
            if not frame.more:
                return parts

    def recv_into(self, buffer, /, *, Py_ssize_t nbytes=0, int flags=0):
        """Receive one frame into a writable buffer (at most ``nbytes``, default its
        size). Returns the frame's full size, like zmq_recv: larger than what was
        written if the frame was truncated."""
        cdef Py_buffer view
        cdef int rc
        if nbytes < 0:
            raise ValueError(f"nbytes must be >= 0, got {nbytes}")
        _zc_release_pending()
        if self._closed:
            _raise_closed()
        _get_buffer(buffer, &view, PyBUF_ANY_CONTIGUOUS | PyBUF_WRITABLE, -1)
        try:
            if nbytes == 0:
                nbytes = view.len
            elif nbytes > view.len:
                raise ValueError(f"nbytes={nbytes} is larger than the buffer ({view.len} bytes)")
            rc = _blocking_io(_RECV_BUF, self, view.buf, nbytes, flags, &self._pace)
        finally:
            PyBuffer_Release(&view)
        return rc
