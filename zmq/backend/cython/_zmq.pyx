# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: embedsignature=True, freethreading_compatible=False
"""The Cython backend: the only module of this backend that talks to libzmq.

One extension module, split by concept into the .pxi files included below.
"""

cimport cython
from cpython.buffer cimport (
    PyBUF_ANY_CONTIGUOUS,
    PyBUF_FORMAT,
    PyBUF_ND,
    PyBUF_STRIDES,
    PyBUF_WRITABLE,
    PyBuffer_Release,
    PyObject_CheckBuffer,
    PyObject_GetBuffer,
)
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.exc cimport PyErr_CheckSignals
from libc.errno cimport EAGAIN, EFAULT, EINTR, EINVAL, errno
from libc.stdint cimport int64_t, uint32_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

from zmq.backend.cython.libzmq cimport (
    ZMQ_HAUSNUMERO,
    ENOTSOCK,
    ETERM,
    EFSM,
    ENOCOMPATPROTO,
    EMTHREAD,
    ZMQ_PAIR,
    ZMQ_PUB,
    ZMQ_SUB,
    ZMQ_REQ,
    ZMQ_REP,
    ZMQ_DEALER,
    ZMQ_ROUTER,
    ZMQ_PULL,
    ZMQ_PUSH,
    ZMQ_XPUB,
    ZMQ_XSUB,
    ZMQ_STREAM,
    ZMQ_ROUTING_ID,
    ZMQ_RCVMORE,
    ZMQ_FD,
    ZMQ_EVENTS,
    ZMQ_TYPE,
    ZMQ_LINGER,
    ZMQ_CURVE_PUBLICKEY,
    ZMQ_CURVE_SECRETKEY,
    ZMQ_CURVE_SERVERKEY,
    ZMQ_MORE,
    ZMQ_SRCFD,
    ZMQ_SHARED,
    ZMQ_DONTWAIT,
    ZMQ_SNDMORE,
    ZMQ_POLLIN,
    ZMQ_POLLOUT,
    ZMQ_POLLERR,
    ZMQ_EVENT_ALL,
    ZMQ_IO_THREADS,
    ZMQ_VERSION_MAJOR,
    ZMQ_VERSION_MINOR,
    ZMQ_VERSION_PATCH,
    ZMQ_PY_IPC_PATH_MAX_LEN,
    ZMQ_PY_HAVE_DRAFT,
    zmq_fd_t,
    zmq_py_getpid,
    zmq_msg_t,
    zmq_pollitem_t,
    zmq_free_fn,
    zmq_version,
    zmq_strerror,
    zmq_has,
    zmq_ctx_new,
    zmq_ctx_term,
    zmq_ctx_shutdown,
    zmq_ctx_set,
    zmq_ctx_get,
    zmq_msg_init,
    zmq_msg_init_size,
    zmq_msg_init_data,
    zmq_msg_send,
    zmq_msg_recv,
    zmq_msg_close,
    zmq_msg_move,
    zmq_msg_copy,
    zmq_msg_data,
    zmq_msg_size,
    zmq_msg_more,
    zmq_msg_get,
    zmq_msg_set,
    zmq_msg_gets,
    zmq_msg_set_routing_id,
    zmq_msg_routing_id,
    zmq_msg_set_group,
    zmq_msg_group,
    zmq_socket,
    zmq_close,
    zmq_setsockopt,
    zmq_getsockopt,
    zmq_bind,
    zmq_connect,
    zmq_unbind,
    zmq_disconnect,
    zmq_send,
    zmq_recv,
    zmq_socket_monitor,
    zmq_join,
    zmq_leave,
    zmq_proxy,
    zmq_proxy_steerable,
    zmq_curve_keypair,
    zmq_curve_public,
)
from zmq.backend.cython.libzmq cimport zmq_errno as _zmq_errno_c
from zmq.backend.cython.libzmq cimport zmq_poll as _zmq_poll_c

import os
import sys
import threading
from weakref import ref as _weakref

from zmq._tracker import _FINISHED_TRACKER, MessageTracker
from zmq.backend._contract import PUBLIC_API
from zmq.error import Again, ContextTerminated, InterruptedSystemCall, ZMQError, _check_version

include "checkrc.pxi"
include "draft.pxi"
include "zerocopy.pxi"
include "message.pxi"
include "context.pxi"
include "socket.pxi"
include "poll.pxi"
include "devices.pxi"
include "utils.pxi"

# what `from zmq.backend.cython._zmq import *` gives (monitored_queue stays private)
__all__ = [name for name in PUBLIC_API if name != "monitored_queue"] + ["PYZMQ_DRAFT_API"]
