# Library-level functions: version, capabilities, errors, CURVE keys.

IPC_PATH_MAX_LEN = ZMQ_PY_IPC_PATH_MAX_LEN
#: whether this extension was compiled with libzmq's draft API (pyzmq's name)
PYZMQ_DRAFT_API = bool(ZMQ_PY_HAVE_DRAFT)


def zmq_version_info():
    """The linked libzmq's version as (major, minor, patch)."""
    cdef int major = 0, minor = 0, patch = 0
    zmq_version(&major, &minor, &patch)
    return (major, minor, patch)


def zmq_errno():
    """libzmq's errno of the calling thread."""
    return _zmq_errno_c()


def strerror(int errno):
    """libzmq's message for an errno value."""
    return zmq_strerror(errno).decode("utf-8", "replace")


def has(capability):
    """Whether libzmq supports a capability: "ipc", "pgm", "tipc", "norm", "curve",
    "gssapi", "draft" (libzmq 4.1+; older versions report False)."""
    return bool(zmq_has(_c_addr(capability)))


def curve_keypair():
    """A new CURVE key pair (public, secret), each 40 bytes of Z85."""
    cdef char public_key[41]
    cdef char secret_key[41]
    _check_version((4, 0), "curve_keypair")
    _check_rc(zmq_curve_keypair(public_key, secret_key))
    return public_key[:40], secret_key[:40]


def curve_public(secret_key):
    """The Z85 public key (bytes) for a 40-byte Z85 secret key (str or bytes)."""
    cdef char public_key[41]
    cdef bytes secret = _c_addr(secret_key)
    _check_version((4, 2), "curve_public")
    if len(secret) != 40:
        raise ValueError(f"secret key must be 40 bytes of Z85, got {len(secret)} bytes")
    _check_rc(zmq_curve_public(public_key, secret))
    return public_key[:40]
