# Context: a libzmq context (zmq_ctx_new) owned by Python, or shadowed by address.

cdef class Context:
    """Context(io_threads=1, shadow=0)

    ``shadow`` is the int address of a libzmq context owned elsewhere: it is used,
    never terminated, by this object.
    """

    # (attributes: _zmq.pxd)

    def __cinit__(self, *args, **kwargs):
        self._closed = True

    def __init__(self, int io_threads=1, shadow=0):
        cdef size_t address = shadow
        if self.handle != NULL:
            raise RuntimeError("Context is already initialised")
        if address:
            self._shadow = True
            self.handle = <void *>address
        else:
            if io_threads < 0:  # what libzmq's zmq_ctx_set says, before making a context
                _raise_errno(EINVAL)
            self.handle = zmq_ctx_new()
            if self.handle == NULL:
                _raise_errno(_zmq_errno_c())
            _check_rc(zmq_ctx_set(self.handle, ZMQ_IO_THREADS, io_threads))
        self._closed = False
        self._pid = zmq_py_getpid()

    def __dealloc__(self):
        # Terminating blocks while messages linger; never do that at interpreter exit,
        # in a forked child (the parent owns the context) or with sockets still open.
        if (self.handle != NULL and not self._shadow and not self._closed
                and self._n_sockets == 0 and self._pid == zmq_py_getpid()
                and not zmq_py_finalizing()):
            with nogil:
                zmq_ctx_term(self.handle)

    @property
    def underlying(self) -> int:
        """The address of the libzmq context (0 once terminated)."""
        return <size_t>self.handle

    @property
    def closed(self) -> bool:
        return self._closed

    def term(self):
        """Terminate the context: blocks (without the GIL) until every socket is closed
        and their messages are sent or dropped per LINGER. Idempotent. Never terminates
        a shadowed context or, in a forked child, the parent's."""
        cdef int rc = 0, err = 0
        cdef void *handle = self.handle
        if self._closed or handle == NULL:
            return
        if not self._shadow and self._pid == zmq_py_getpid():
            while True:
                with nogil:
                    rc = zmq_ctx_term(handle)
                    if rc != 0:
                        err = _zmq_errno_c()
                if rc == 0 or err != EINTR:
                    break
                _retry_after_signal()
            if rc != 0:
                _raise_errno(err)
        self._closed = True
        self.handle = NULL

    def _shutdown(self):
        """Make every blocking call on this context's sockets return ContextTerminated
        (zmq_ctx_shutdown), now and from then on; sockets can still be closed, then
        term() ends it. Closing a socket afterwards waits for the threads that are
        still leaving their calls on it."""
        if self._closed or self._shadow or self._pid != zmq_py_getpid():
            return
        self._shut_down = True
        _check_rc(zmq_ctx_shutdown(self.handle))

    def set(self, int option, optval):
        """Set a context option (zmq_ctx_set): an int value."""
        if not isinstance(optval, int):
            raise TypeError(f"expected int, got: {optval!r}")
        if self._closed:
            raise ZMQError(EFAULT, "Context has been terminated")
        _check_rc(zmq_ctx_set(self.handle, option, optval))

    def get(self, int option):
        """Get a context option (zmq_ctx_get)."""
        if self._closed:
            raise ZMQError(EFAULT, "Context has been terminated")
        cdef int rc
        errno = 0  # -1 is a legitimate value for some options
        rc = zmq_ctx_get(self.handle, option)
        if rc == -1 and _zmq_errno_c() != 0:
            _raise_errno(_zmq_errno_c())
        return rc
