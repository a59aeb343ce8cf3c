# cython: language_level=3
# The C-level API of the Cython backend: the layout of its extension types, so that
# other Cython modules can `cimport` them and use their C attributes directly:
#
#     from zmq.backend.cython._zmq cimport Context, Frame, Socket   (or: from zmq cimport ...)
#     cdef void *handle = (<Socket>sock).handle       # the libzmq socket
#     zmq_msg_data(&(<Frame>frame).zmq_msg)           # the libzmq message
#
# _zmq.pyx is compiled with these declarations: every C attribute of these classes is
# declared here, not in the .pxi files. Their methods are Python methods (called
# through the usual attribute lookup, as from Python).

from zmq.backend.cython.libzmq cimport zmq_msg_t


# how a socket paces its sends and receives (see socket.pxi)
ctypedef struct _Pace:
    int recv_skip  # receives left that skip the first try
    bint streaming  # the last operation was a send


cdef class Context:
    cdef void *handle  # the libzmq context (NULL once terminated)
    cdef readonly bint _shadow  # owned elsewhere: never terminated by this object
    cdef bint _closed
    cdef long _pid  # the process that created it (a forked child must not terminate it)
    cdef readonly int _n_sockets  # sockets created through this object and still open
    cdef readonly bint _shut_down  # _shutdown() was called: blocking calls end with ETERM


cdef class Frame:
    cdef zmq_msg_t zmq_msg  # the libzmq message
    cdef object _bytes  # the contents as bytes, once asked for
    cdef object _buffer_ref  # weak reference to the memoryview .buffer returned
    cdef bint _readonly  # shares a read-only buffer
    cdef public bint more  # received with more frames to follow
    cdef public object tracker  # MessageTracker of a tracked frame, else None
    cdef public object tracker_event


cdef class Socket:
    cdef void *handle  # the libzmq socket (NULL once closed)
    cdef readonly bint _shadow  # owned elsewhere: never closed by this object
    cdef bint _closed
    cdef long _pid  # the process that created it (a forked child must not close it)
    cdef Context _owner  # its open-socket count includes this socket
    cdef public object context
    cdef public Py_ssize_t copy_threshold  # smaller copy=False sends are copied
    cdef readonly int type  # ZMQ_TYPE (the sugar wraps it in SocketType)
    cdef _Pace _pace
    cdef int _busy  # calls on this socket now running without the GIL (see close)
