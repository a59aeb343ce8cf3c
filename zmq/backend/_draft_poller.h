/*
 * ZMQ_FD for thread-safe (draft) sockets, which have none: the descriptor of a zmq_poller
 * that watches the socket (libzmq >= 4.3.2 with the draft API), as pyzmq does. It becomes
 * readable when the socket's state may have changed; zpy_draft_poller_drain() clears it,
 * after which the caller reads ZMQ_EVENTS. Shared by both backends.
 */
#ifndef ZPY_DRAFT_POLLER_H
#define ZPY_DRAFT_POLLER_H

#include <errno.h>
#include <stdint.h>
#include <zmq.h>

#if defined(ZMQ_BUILD_DRAFT_API) && ZMQ_VERSION >= ZMQ_MAKE_VERSION(4, 3, 2)
#define ZPY_HAVE_POLLER_FD 1
#else
#define ZPY_HAVE_POLLER_FD 0
#endif

/* 1 if the socket is thread-safe (SERVER, CLIENT, RADIO, DISH, ...), else 0. */
static int zpy_is_thread_safe(void *socket)
{
#ifdef ZMQ_THREAD_SAFE
    int value = 0;
    size_t size = sizeof(value);
    return zmq_getsockopt(socket, ZMQ_THREAD_SAFE, &value, &size) == 0 && value;
#else
    (void)socket;
    return 0;
#endif
}

/* 0 with the new poller in *poller_out and its descriptor in *fd, or an errno. */
static int zpy_draft_poller_new(void *socket, void **poller_out, int64_t *fd)
{
#if ZPY_HAVE_POLLER_FD
    zmq_fd_t poller_fd;
    void *poller = zmq_poller_new();
    if (poller == NULL)
        return zmq_errno();
    if (zmq_poller_add(poller, socket, NULL, ZMQ_POLLIN | ZMQ_POLLOUT) != 0
        || zmq_poller_fd(poller, &poller_fd) != 0) {
        int err = zmq_errno();
        zmq_poller_destroy(&poller);
        return err;
    }
    *poller_out = poller;
    *fd = (int64_t)poller_fd;
    return 0;
#else
    (void)socket;
    (void)poller_out;
    (void)fd;
    return ENOTSUP;
#endif
}

/* Clear the descriptor's readiness (a zero-timeout wait; "no events" is not an error). */
static void zpy_draft_poller_drain(void *poller)
{
#if ZPY_HAVE_POLLER_FD
    zmq_poller_event_t event;
    zmq_poller_wait(poller, &event, 0);
#else
    (void)poller;
#endif
}

/* Before the socket is closed: the poller unregisters itself from the socket. */
static void zpy_draft_poller_destroy(void *poller)
{
#if ZPY_HAVE_POLLER_FD
    zmq_poller_destroy(&poller);
#else
    (void)poller;
#endif
}

#endif /* ZPY_DRAFT_POLLER_H */
