# Turning libzmq's errno into the matching ZMQError subclass, and EINTR handling.

cdef extern from *:
    """
    #if PY_VERSION_HEX >= 0x030D0000
    #define zmq_py_finalizing() Py_IsFinalizing()
    #else
    #define zmq_py_finalizing() _Py_IsFinalizing()
    #endif
    """
    int zmq_py_finalizing()


cdef int _raise_errno(int err) except -1:
    """Raise the ZMQError subclass for a libzmq errno."""
    if err == EAGAIN:
        raise Again()
    if err == ETERM:
        raise ContextTerminated()
    if err == EINTR:
        raise InterruptedSystemCall()
    raise ZMQError(err)


cdef inline int _check_rc(int rc) except -1:
    if rc == -1:
        _raise_errno(_zmq_errno_c())
    return 0


cdef inline int _retry_after_signal() except -1:
    """After EINTR: run Python signal handlers (raising e.g. KeyboardInterrupt);
    returning normally means the caller retries the call (PEP 475)."""
    return PyErr_CheckSignals()


cdef int _raise_closed() except -1:
    raise ZMQError(ENOTSOCK)


cdef bytes _c_addr(object addr):
    """An endpoint or group name as bytes: str (encoded utf-8) or bytes."""
    if isinstance(addr, str):
        return (<str>addr).encode("utf-8")
    if isinstance(addr, bytes):
        return <bytes>addr
    raise TypeError(f"expected str for the address, got {type(addr).__name__}: {addr!r}")
