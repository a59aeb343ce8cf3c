# The libzmq C API used by the Cython backend, for `cimport` by this package and by
# other Cython projects (`from zmq.backend.cython.libzmq cimport zmq_msg_t, ...`).
# Declared through zmq_compat.h, which stubs functions missing from older or
# non-draft libzmq builds (they fail with ENOTSUP).

from libc.stdint cimport int64_t, uint32_t


cdef extern from "zmq_compat.h" nogil:
    # errno values libzmq may define itself
    enum:
        ZMQ_HAUSNUMERO
        ENOTSUP
        ENOTSOCK
        ETERM
        EFSM
        ENOCOMPATPROTO
        EMTHREAD

    # socket types
    enum:
        ZMQ_PAIR
        ZMQ_PUB
        ZMQ_SUB
        ZMQ_REQ
        ZMQ_REP
        ZMQ_DEALER
        ZMQ_ROUTER
        ZMQ_PULL
        ZMQ_PUSH
        ZMQ_XPUB
        ZMQ_XSUB
        ZMQ_STREAM

    # socket options this backend needs itself
    enum:
        ZMQ_ROUTING_ID
        ZMQ_RCVMORE
        ZMQ_FD
        ZMQ_EVENTS
        ZMQ_TYPE
        ZMQ_LINGER
        ZMQ_CURVE_PUBLICKEY
        ZMQ_CURVE_SECRETKEY
        ZMQ_CURVE_SERVERKEY

    # message properties, send/recv flags, poll events, monitor events, context options
    enum:
        ZMQ_MORE
        ZMQ_SRCFD
        ZMQ_SHARED
        ZMQ_DONTWAIT
        ZMQ_SNDMORE
        ZMQ_POLLIN
        ZMQ_POLLOUT
        ZMQ_POLLERR
        ZMQ_EVENT_ALL
        ZMQ_IO_THREADS
        ZMQ_VERSION_MAJOR
        ZMQ_VERSION_MINOR
        ZMQ_VERSION_PATCH

    enum:
        ZMQ_PY_IPC_PATH_MAX_LEN
        ZMQ_PY_HAVE_DRAFT

    ctypedef int zmq_fd_t "zmq_py_fd_t"
    ctypedef int fd_t "zmq_py_fd_t"  # pyzmq's name
    long zmq_py_getpid()  # C-level getpid: usable in __dealloc__ at interpreter exit

    ctypedef struct zmq_msg_t:
        pass

    ctypedef struct zmq_pollitem_t:
        void *socket
        zmq_fd_t fd
        short events
        short revents

    ctypedef void zmq_free_fn(void *data, void *hint)

    void zmq_version(int *major, int *minor, int *patch)
    void _zmq_version "zmq_version"(int *major, int *minor, int *patch)  # pyzmq's name
    int zmq_errno()
    const char *zmq_strerror(int errnum)
    int zmq_has(const char *capability)

    void *zmq_ctx_new()
    int zmq_ctx_term(void *context)
    int zmq_ctx_shutdown(void *context)
    int zmq_ctx_set(void *context, int option, int optval)
    int zmq_ctx_get(void *context, int option)
    # libzmq's older names, deprecated there
    int zmq_ctx_destroy(void *context)
    void *zmq_init(int io_threads)
    int zmq_term(void *context)

    int zmq_msg_init(zmq_msg_t *msg)
    int zmq_msg_init_size(zmq_msg_t *msg, size_t size)
    int zmq_msg_init_data(zmq_msg_t *msg, void *data, size_t size, zmq_free_fn *ffn, void *hint)
    int zmq_msg_send(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_recv(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_close(zmq_msg_t *msg)
    int zmq_msg_move(zmq_msg_t *dest, zmq_msg_t *src)
    int zmq_msg_copy(zmq_msg_t *dest, zmq_msg_t *src)
    void *zmq_msg_data(zmq_msg_t *msg)
    size_t zmq_msg_size(const zmq_msg_t *msg)
    int zmq_msg_more(const zmq_msg_t *msg)
    int zmq_msg_get(const zmq_msg_t *msg, int property)
    int zmq_msg_set(zmq_msg_t *msg, int property, int optval)
    const char *zmq_msg_gets(zmq_msg_t *msg, const char *property)
    int zmq_msg_set_routing_id(zmq_msg_t *msg, uint32_t routing_id)
    uint32_t zmq_msg_routing_id(zmq_msg_t *msg)
    int zmq_msg_set_group(zmq_msg_t *msg, const char *group)
    const char *zmq_msg_group(zmq_msg_t *msg)

    void *zmq_socket(void *context, int type)
    int zmq_close(void *s)
    int zmq_setsockopt(void *s, int option, const void *optval, size_t optvallen)
    int zmq_getsockopt(void *s, int option, void *optval, size_t *optvallen)
    int zmq_bind(void *s, const char *addr)
    int zmq_connect(void *s, const char *addr)
    int zmq_unbind(void *s, const char *addr)
    int zmq_disconnect(void *s, const char *addr)
    int zmq_send(void *s, const void *buf, size_t len, int flags)
    int zmq_recv(void *s, void *buf, size_t len, int flags)
    int zmq_socket_monitor(void *s, const char *addr, int events)
    int zmq_join(void *s, const char *group)
    int zmq_leave(void *s, const char *group)

    int zmq_poll(zmq_pollitem_t *items, int nitems, long timeout)
    int zmq_proxy(void *frontend, void *backend, void *capture)
    int zmq_proxy_steerable(void *frontend, void *backend, void *capture, void *control)

    int zmq_curve_keypair(char *z85_public_key, char *z85_secret_key)
    int zmq_curve_public(char *z85_public_key, const char *z85_secret_key)
