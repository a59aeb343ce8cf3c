/*
 * One libzmq API for both backends (the Cython module and the CFFI helpers include it, and
 * so do Cython modules that cimport zmq.backend.cython.libzmq), across libzmq 3.2 .. 4.3,
 * with or without the draft API: functions the linked libzmq lacks become stubs that fail
 * with ENOTSUP (returning -1, NULL or 0 as the real one would on failure), so the
 * extensions always compile and the caller raises a clear ZMQError.
 */
#ifndef ZMQ_BACKEND_COMPAT_H
#define ZMQ_BACKEND_COMPAT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <zmq.h>

#ifndef ZMQ_MAKE_VERSION
#define ZMQ_MAKE_VERSION(major, minor, patch) ((major) * 10000 + (minor) * 100 + (patch))
#endif

#if defined(_WIN32)
#include <process.h>
#include <winsock2.h>
typedef SOCKET zmq_py_fd_t;
#define zmq_py_getpid() ((long)_getpid())
#else
#include <sys/un.h>
#include <unistd.h>
typedef int zmq_py_fd_t;
#define zmq_py_getpid() ((long)getpid())
#endif

/* Longest ipc:// path libzmq accepts, without the terminating NUL that libzmq keeps
 * inside sockaddr_un's sun_path. On Windows libzmq's ipc is AF_UNIX through afunix.h
 * (sun_path[108]) too; SDKs without that header get its size written out. */
#if defined(_WIN32) && defined(__has_include)
#if __has_include(<afunix.h>)
#include <afunix.h>
#define ZMQ_PY_IPC_PATH_MAX_LEN (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)
#endif
#endif
#ifndef ZMQ_PY_IPC_PATH_MAX_LEN
#if defined(_WIN32)
#define ZMQ_PY_IPC_PATH_MAX_LEN 107
#else
#define ZMQ_PY_IPC_PATH_MAX_LEN (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)
#endif
#endif

static inline int zmq_py_unsupported(void)
{
    errno = ENOTSUP;
    return -1;
}

#if ZMQ_VERSION < ZMQ_MAKE_VERSION(4, 0, 0)
#define zmq_ctx_term zmq_ctx_destroy
#define zmq_curve_keypair(pub, sec) zmq_py_unsupported()
#endif

#if ZMQ_VERSION < ZMQ_MAKE_VERSION(4, 1, 0)
#define zmq_has(capability) 0
#define zmq_proxy_steerable(f, b, c, ctl) zmq_py_unsupported()
static const char *zmq_msg_gets(zmq_msg_t *msg, const char *property)
{
    (void)msg;
    (void)property;
    errno = ENOTSUP;
    return NULL;
}
#endif

#if ZMQ_VERSION < ZMQ_MAKE_VERSION(4, 2, 0)
#define zmq_curve_public(pub, sec) zmq_py_unsupported()
#endif

#if !defined(ZMQ_BUILD_DRAFT_API) || ZMQ_VERSION < ZMQ_MAKE_VERSION(4, 2, 0)
#define ZMQ_PY_HAVE_DRAFT 0
#define zmq_join(s, group) zmq_py_unsupported()
#define zmq_leave(s, group) zmq_py_unsupported()
#define zmq_msg_set_routing_id(msg, id) zmq_py_unsupported()
#define zmq_msg_set_group(msg, group) zmq_py_unsupported()
static uint32_t zmq_msg_routing_id(zmq_msg_t *msg)
{
    (void)msg;
    errno = ENOTSUP;
    return 0;
}
static const char *zmq_msg_group(zmq_msg_t *msg)
{
    (void)msg;
    errno = ENOTSUP;
    return NULL;
}
#else
#define ZMQ_PY_HAVE_DRAFT 1
#endif

#endif /* ZMQ_BACKEND_COMPAT_H */
