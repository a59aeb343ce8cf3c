/*
 * C helpers compiled into zmq.backend.cffi._cffi_zmq (pasted into the CFFI set_source).
 *
 * Why they exist: every CFFI call costs a Python-level call plus a GIL release, so the
 * hot path does one call per operation and gets errno back in the result instead of a
 * second zmq_errno() call. Functions missing from older or non-draft libzmq headers are
 * the stubs of ../zmq_compat.h (shared with the Cython backend): they fail with ENOTSUP.
 *
 * Convention: functions returning int give 0 on success and an errno value on failure,
 * unless stated otherwise.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zmq_compat.h"

/* Per-socket receive state: small messages are copied into `scratch` (`cap` bytes) so
 * the message is released at once, in the same call. */
typedef struct {
    char *data;
    int more;
    char *scratch;
    size_t cap;
} zpy_recv_info;

/* Initialise `msg` with a copy of data[0:size]; 0 or errno. */
static int zpy_msg_init_copy(zmq_msg_t *msg, const char *data, size_t size)
{
    if (zmq_msg_init_size(msg, size) != 0)
        return zmq_errno();
    if (size)
        memcpy(zmq_msg_data(msg), data, size);
    return 0;
}

/* ---- hot path ---- */

/* Copy `size` bytes into a new message and send it. */
static int zpy_send_copy(void *s, const char *data, size_t size, int flags)
{
    zmq_msg_t msg;
    int err = zpy_msg_init_copy(&msg, data, size);
    if (err)
        return err;
    if (zmq_msg_send(&msg, s, flags) < 0) {
        err = zmq_errno();
        zmq_msg_close(&msg);
        return err;
    }
    return 0;
}

/* Send `msg` itself (it is emptied on success, kept on failure so EINTR can retry). */
static int zpy_send_msg(void *s, zmq_msg_t *msg, int flags)
{
    return zmq_msg_send(msg, s, flags) < 0 ? zmq_errno() : 0;
}

/* Send a copy of `frame` (which keeps its content and can be sent again). */
static int zpy_send_frame(void *s, zmq_msg_t *frame, int flags)
{
    zmq_msg_t msg;
    int err;
    if (zmq_msg_init(&msg) != 0 || zmq_msg_copy(&msg, frame) != 0)
        return zmq_errno();
    if (zmq_msg_send(&msg, s, flags) >= 0)
        return 0;
    err = zmq_errno();
    zmq_msg_close(&msg);
    return err;
}

/* Receive into `msg` (initialised). Returns the size, or -errno. On success
 * info->data points at the content and info->more is set: contents of at most info->cap
 * bytes are copied to info->scratch and `msg` is released (empty) at once; bigger ones
 * stay in `msg` until zpy_msg_reset (or the next receive). */
static long long zpy_recv(void *s, zmq_msg_t *msg, int flags, zpy_recv_info *info)
{
    size_t size;
    if (zmq_msg_recv(msg, s, flags) < 0)
        return -(long long)zmq_errno();
    size = zmq_msg_size(msg);
    info->more = zmq_msg_more(msg);
    if (size <= info->cap) {
        memcpy(info->scratch, zmq_msg_data(msg), size);
        info->data = info->scratch;
        zmq_msg_close(msg);
        zmq_msg_init(msg);
    } else {
        info->data = (char *)zmq_msg_data(msg);
    }
    return (long long)size;
}

/* Non-blocking first attempts, called with the GIL held (build_cffi removes CFFI's GIL
 * release around them: for a call that returns at once, the release and re-acquisition,
 * and the thread switch it invites, cost more than the call). EAGAIN means: retry
 * with zpy_send_copy / zpy_recv, which release the GIL. */
static int zpy_try_send_copy(void *s, const char *data, size_t size, int flags)
{
    return zpy_send_copy(s, data, size, flags | ZMQ_DONTWAIT);
}

static long long zpy_try_recv(void *s, zmq_msg_t *msg, int flags, zpy_recv_info *info)
{
    return zpy_recv(s, msg, flags | ZMQ_DONTWAIT, info);
}

/* Receive into a new malloc'd message (*out, for zpy_msg_free), as zpy_recv. */
static long long zpy_recv_new(void *s, int flags, zpy_recv_info *info, zmq_msg_t **out)
{
    long long n;
    zmq_msg_t *msg = (zmq_msg_t *)malloc(sizeof(zmq_msg_t));
    if (msg == NULL)
        return -(long long)ENOMEM;
    zmq_msg_init(msg);
    n = zpy_recv(s, msg, flags, info);
    if (n < 0) {
        zmq_msg_close(msg);
        free(msg);
        return n;
    }
    *out = msg;
    return n;
}

static long long zpy_try_recv_new(void *s, int flags, zpy_recv_info *info, zmq_msg_t **out)
{
    return zpy_recv_new(s, flags | ZMQ_DONTWAIT, info, out);
}

/* Release a received message's content now (big messages should not linger). */
static void zpy_msg_reset(zmq_msg_t *msg)
{
    zmq_msg_close(msg);
    zmq_msg_init(msg);
}

/* zmq_recv into a caller's buffer: the full message size (may exceed n), or -errno. */
static long long zpy_recv_into(void *s, char *buf, size_t n, int flags)
{
    zmq_msg_t msg;
    size_t size;
    if (zmq_msg_init(&msg) != 0)
        return -(long long)zmq_errno();
    if (zmq_msg_recv(&msg, s, flags) < 0) {
        int err = zmq_errno();
        zmq_msg_close(&msg);
        return -(long long)err;
    }
    size = zmq_msg_size(&msg);
    memcpy(buf, zmq_msg_data(&msg), size < n ? size : n);
    zmq_msg_close(&msg);
    return (long long)size;
}

/* ---- messages owned by Python Frames (malloc'd so ffi.gc can free them in one call) ---- */

static zmq_msg_t *zpy_msg_new(void)
{
    zmq_msg_t *msg = (zmq_msg_t *)malloc(sizeof(zmq_msg_t));
    if (msg != NULL)
        zmq_msg_init(msg);
    return msg;
}

/* New message holding a copy of data[0:size], or NULL with errno set. */
static zmq_msg_t *zpy_msg_new_copy(const char *data, size_t size)
{
    zmq_msg_t *msg = (zmq_msg_t *)malloc(sizeof(zmq_msg_t));
    int err;
    if (msg == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    err = zpy_msg_init_copy(msg, data, size);
    if (err) {
        free(msg);
        errno = err;
        return NULL;
    }
    return msg;
}

static void zpy_msg_free(zmq_msg_t *msg)
{
    zmq_msg_close(msg);
    free(msg);
}

/* ---- zero-copy: libzmq's free callback queues the item (see ../_zerocopy.h) ---- */

static zc_queue zpy_released;
/* Items taken from zpy_released but not yet handed to Python (its lock guards head). */
static zc_queue zpy_backlog;
static int zpy_zc_ready = 0;

static int zpy_zc_init(void)
{
    int rc;
    if (zpy_zc_ready)
        return 0;
    rc = zc_queue_init(&zpy_released);
    if (rc == 0)
        rc = zc_queue_init(&zpy_backlog);
    zpy_zc_ready = rc == 0;
    return rc;
}

/* In a forked child: the parent's items are never released here (see zc_queue_after_fork). */
static int zpy_zc_after_fork(void)
{
    int rc = zc_queue_after_fork(&zpy_released);
    return rc ? rc : zc_queue_after_fork(&zpy_backlog);
}

/* A zero-copy item; `key` names the Python objects kept alive for it. */
typedef struct {
    zc_item base;
    unsigned long long key;
} zpy_item;

/* Make `msg` (empty or uninitialised) point at data[0:size] without copying. Returns
 * the item, or NULL with errno set. A tracked item holds one extra reference, for the
 * tracker, dropped by zpy_zc_unref. */
static zc_item *zpy_msg_init_zerocopy(zmq_msg_t *msg, char *data, size_t size, int tracked,
                                      unsigned long long key)
{
    zpy_item *item = (zpy_item *)zc_item_new(&zpy_released, sizeof(zpy_item), tracked ? 1 : 0);
    if (item == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    item->key = key;
    if (zmq_msg_init_data(msg, data, size, zc_free_fn, item) != 0) {
        int err = zmq_errno();
        free(item);
        errno = err;
        return NULL;
    }
    return &item->base;
}

static long zpy_zc_pending(void)
{
    return zc_pending(&zpy_released) + zc_pending(&zpy_backlog);
}

/* Hand the keys of up to `max` released items to Python (dropping the message's
 * reference on each); returns how many. Safe to call from several threads. */
static int zpy_zc_drain(unsigned long long *out, int max)
{
    int n = 0;
    zc_item *item;
    zc_lock(&zpy_backlog);
    if (zpy_backlog.head == NULL)
        zpy_backlog.head = zc_queue_take(&zpy_released);
    while (n < max && (item = zpy_backlog.head) != NULL) {
        zpy_backlog.head = item->next;
        out[n++] = ((zpy_item *)item)->key;
        zc_item_unref(item);
    }
    ZC_STORE(&zpy_backlog.pending, zpy_backlog.head != NULL);
    zc_unlock(&zpy_backlog);
    return n;
}

/* Block (GIL released) until items are pending or timeout_ms passed. */
static long zpy_zc_wait(long timeout_ms)
{
    if (zc_pending(&zpy_backlog))
        return 1;
    return zc_queue_wait(&zpy_released, timeout_ms);
}

static int zpy_zc_done(zc_item *item) { return zc_item_done(item); }
static int zpy_zc_wait_item(zc_item *item, long timeout_ms) { return zc_item_wait(item, timeout_ms); }
static void zpy_zc_unref(zc_item *item) { zc_item_unref(item); }

/* ---- blocking loops ---- */

/* zmq_proxy / zmq_proxy_steerable; 0 when the proxy ended cleanly, else errno. */
static int zpy_proxy(void *frontend, void *backend, void *capture, void *control)
{
    int rc;
    if (control != NULL)
        rc = zmq_proxy_steerable(frontend, backend, capture, control);
    else
        rc = zmq_proxy(frontend, backend, capture);
    return rc < 0 ? zmq_errno() : 0;
}

/* zpx_run (../_proxy.h) on a state the caller allocates: zpy_proxy_state_size() bytes */
static size_t zpy_proxy_state_size(void) { return sizeof(zpx_state); }
static void zpy_proxy_init(void *st) { zpx_init((zpx_state *)st); }
static void zpy_proxy_clear(void *st) { zpx_clear((zpx_state *)st); }
static int zpy_proxy_run(void *front, void *back, void *capture, void *st)
{
    return zpx_run(front, back, capture, (zpx_state *)st);
}

/* Send `part` to `out` and a copy of it to `mon`, both with SNDMORE if `more`. */
static int zpy_tee(zmq_msg_t *part, void *out, void *mon, int more)
{
    zmq_msg_t copy;
    int flags = more ? ZMQ_SNDMORE : 0, err;
    zmq_msg_init(&copy);
    if (zmq_msg_copy(&copy, part) != 0 || zmq_msg_send(part, out, flags) < 0)
        goto fail;
    if (zmq_msg_send(&copy, mon, flags) < 0)
        goto fail;
    return 0;
fail:
    err = zmq_errno();
    zmq_msg_close(&copy);
    return err;
}

/* Forward one whole multipart message from `in` to `out`, and to `mon` after the frame
 * `prefix`. With `swap_ids` (ROUTER to ROUTER) the first two parts, the sender's and the
 * destination's routing ids, change places so `out` routes to the destination. */
static int zpy_relay(void *in, void *out, void *mon, const char *prefix, size_t prefix_len,
                     int swap_ids)
{
    zmq_msg_t parts[2];
    int n = swap_ids ? 2 : 1, i, more = 1, err = 0;
    for (i = 0; i < 2; i++)
        zmq_msg_init(&parts[i]);
    for (i = 0; i < n; i++) {
        if (zmq_msg_recv(&parts[i], in, 0) < 0) {
            err = zmq_errno();
            goto done;
        }
        more = zmq_msg_more(&parts[i]);
        if (!more)
            n = i + 1; /* shorter than two parts: nothing to swap */
    }
    err = zpy_send_copy(mon, prefix, prefix_len, ZMQ_SNDMORE);
    for (i = n - 1; !err && i >= 0 && n == 2; i--)
        err = zpy_tee(&parts[i], out, mon, i > 0 || more);
    if (!err && n == 1)
        err = zpy_tee(&parts[0], out, mon, more);
    while (!err && more) {
        if (zmq_msg_recv(&parts[0], in, 0) < 0) {
            err = zmq_errno();
            break;
        }
        more = zmq_msg_more(&parts[0]);
        err = zpy_tee(&parts[0], out, mon, more);
    }
done:
    for (i = 0; i < 2; i++)
        zmq_msg_close(&parts[i]);
    return err;
}

/* The monitored queue loop (a device that copies all traffic to `mon`); returns errno
 * when it stops (ETERM when the context is terminated, EINTR to run signal handlers). */
static int zpy_monitored_queue(void *in, void *out, void *mon, const char *in_prefix,
                               size_t in_len, const char *out_prefix, size_t out_len,
                               int swap_ids)
{
    zmq_pollitem_t items[2];
    int err;
    items[0].socket = in;
    items[0].fd = 0;
    items[0].events = ZMQ_POLLIN;
    items[1].socket = out;
    items[1].fd = 0;
    items[1].events = ZMQ_POLLIN;
    for (;;) {
        items[0].revents = items[1].revents = 0;
        if (zmq_poll(items, 2, -1) < 0)
            return zmq_errno();
        if (items[0].revents & ZMQ_POLLIN) {
            err = zpy_relay(in, out, mon, in_prefix, in_len, swap_ids);
            if (err)
                return err;
        }
        if (items[1].revents & ZMQ_POLLIN) {
            err = zpy_relay(out, in, mon, out_prefix, out_len, swap_ids);
            if (err)
                return err;
        }
    }
}

/* ---- APIs that older or non-draft builds of libzmq lack (stubs: ../zmq_compat.h) ---- */

static int zpy_curve_keypair(char *public_key, char *secret_key)
{
    return zmq_curve_keypair(public_key, secret_key) < 0 ? zmq_errno() : 0;
}

static int zpy_curve_public(char *public_key, const char *secret_key)
{
    return zmq_curve_public(public_key, secret_key) < 0 ? zmq_errno() : 0;
}

static int zpy_join(void *s, const char *group)
{
    return zmq_join(s, group) < 0 ? zmq_errno() : 0;
}

static int zpy_leave(void *s, const char *group)
{
    return zmq_leave(s, group) < 0 ? zmq_errno() : 0;
}

static int zpy_msg_set_routing_id(zmq_msg_t *msg, uint32_t routing_id)
{
    return zmq_msg_set_routing_id(msg, routing_id) < 0 ? zmq_errno() : 0;
}

static int zpy_msg_set_group(zmq_msg_t *msg, const char *group)
{
    return zmq_msg_set_group(msg, group) < 0 ? zmq_errno() : 0;
}
