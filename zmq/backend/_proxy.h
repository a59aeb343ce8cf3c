/*
 * A proxy loop shared by the Cython and CFFI backends, used instead of zmq_proxy.
 *
 * zmq_proxy gives up when a signal interrupts it (EINTR), and a message it was
 * forwarding at that moment is lost, or its first frames go out without the rest. This
 * loop keeps where it stands in a zpx_state owned by the caller: it returns EINTR so the
 * binding can run the Python signal handlers, and the next call with the same state
 * carries on with the frame in hand. It also works with one socket as both ends (a
 * REP socket then answers every request with the request itself).
 *
 * Call without the GIL. Header-only, needs <zmq.h> first.
 *   zpx_state st; zpx_init(&st);
 *   while ((err = zpx_run(front, back, capture, &st)) == EINTR) { run handlers; }
 *   zpx_clear(&st);   then raise err (ETERM once the context is terminated)
 */
#ifndef ZMQ_BACKEND_PROXY_H
#define ZMQ_BACKEND_PROXY_H

#include <errno.h>

typedef struct {
    zmq_msg_t frame; /* the frame in hand (valid while held) */
    int held;        /* a received frame not yet sent on */
    int captured;    /* ...and its copy already went to capture */
    int from;        /* -1 between messages, else the index (0, 1) of the source mid-message */
} zpx_state;

static inline void zpx_init(zpx_state *st)
{
    zmq_msg_init(&st->frame);
    st->held = 0;
    st->captured = 0;
    st->from = -1;
}

static inline void zpx_clear(zpx_state *st) { zmq_msg_close(&st->frame); }

/* Move the rest of the message from `in` to `out` (copies to `capture`); 0 or errno. */
static inline int zpx_forward(void *in, void *out, void *capture, zpx_state *st)
{
    for (;;) {
        int more;
        if (!st->held) {
            if (zmq_msg_recv(&st->frame, in, 0) < 0)
                return zmq_errno();
            st->held = 1;
            st->captured = 0;
        }
        more = zmq_msg_more(&st->frame);
        if (capture != NULL && !st->captured) {
            zmq_msg_t copy;
            zmq_msg_init(&copy);
            if (zmq_msg_copy(&copy, &st->frame) != 0 ||
                zmq_msg_send(&copy, capture, more ? ZMQ_SNDMORE : 0) < 0) {
                int err = zmq_errno();
                zmq_msg_close(&copy);
                return err;
            }
            st->captured = 1;
        }
        if (zmq_msg_send(&st->frame, out, more ? ZMQ_SNDMORE : 0) < 0)
            return zmq_errno();
        st->held = 0; /* sent: the frame is empty again */
        if (!more)
            return 0;
    }
}

/* Forward between front and back until an error: returns its errno (never 0). */
static inline int zpx_run(void *front, void *back, void *capture, zpx_state *st)
{
    void *ends[2];
    zmq_pollitem_t items[2];
    int n = front == back ? 1 : 2, i, err;
    ends[0] = front;
    ends[1] = back;
    for (;;) {
        if (st->from >= 0) {
            err = zpx_forward(ends[st->from], ends[1 - st->from], capture, st);
            if (err)
                return err;
            st->from = -1;
        }
        for (i = 0; i < n; i++) {
            items[i].socket = ends[i];
            items[i].fd = 0;
            items[i].events = ZMQ_POLLIN;
            items[i].revents = 0;
        }
        if (zmq_poll(items, n, -1) < 0)
            return zmq_errno();
        for (i = 0; i < n; i++) {
            if (items[i].revents & ZMQ_POLLIN) {
                st->from = i;
                err = zpx_forward(ends[i], ends[1 - i], capture, st);
                if (err)
                    return err;
                st->from = -1;
            }
        }
    }
}

#endif /* ZMQ_BACKEND_PROXY_H */
