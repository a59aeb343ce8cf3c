/* CFFI cdef (parsed by cffi, not by a C compiler): the part of libzmq the CFFI backend
   calls, and the helpers of _helpers.c. The constants come from _generated_cdefs.h. */

typedef struct { ...; } zmq_msg_t;

typedef struct {
    void *socket;
    int fd;
    short events;
    short revents;
} zmq_pollitem_t;

void zmq_version(int *major, int *minor, int *patch);
int zmq_errno(void);
const char *zmq_strerror(int errnum);

void *zmq_ctx_new(void);
int zmq_ctx_destroy(void *context);
int zmq_ctx_shutdown(void *context);
int zmq_ctx_set(void *context, int option, int optval);
int zmq_ctx_get(void *context, int option);

void *zmq_socket(void *context, int type);
int zmq_close(void *s);
int zmq_setsockopt(void *s, int option, const void *optval, size_t optvallen);
int zmq_getsockopt(void *s, int option, void *optval, size_t *optvallen);
int zmq_bind(void *s, const char *addr);
int zmq_connect(void *s, const char *addr);
int zmq_unbind(void *s, const char *addr);
int zmq_disconnect(void *s, const char *addr);
int zmq_socket_monitor(void *s, const char *addr, int events);

int zmq_msg_init(zmq_msg_t *msg);
int zmq_msg_close(zmq_msg_t *msg);
int zmq_msg_copy(zmq_msg_t *dest, zmq_msg_t *src);
void *zmq_msg_data(zmq_msg_t *msg);
size_t zmq_msg_size(const zmq_msg_t *msg);
int zmq_msg_more(const zmq_msg_t *msg);
int zmq_msg_get(const zmq_msg_t *msg, int property);
int zmq_msg_set(zmq_msg_t *msg, int property, int optval);

int zmq_poll(zmq_pollitem_t *items, int nitems, long timeout);

/* ../zmq_compat.h (shared with the Cython backend; libzmq functions an older or
   non-draft libzmq lacks are stubs there that fail with ENOTSUP) */
#define ZMQ_PY_IPC_PATH_MAX_LEN ...
#define ZMQ_PY_HAVE_DRAFT ...
int zmq_has(const char *capability);
const char *zmq_msg_gets(zmq_msg_t *msg, const char *property);
uint32_t zmq_msg_routing_id(zmq_msg_t *msg);
const char *zmq_msg_group(zmq_msg_t *msg);

/* _helpers.c */
typedef struct {
    char *data;
    int more;
    char *scratch;
    size_t cap;
} zpy_recv_info;
typedef struct zc_item zc_item;

int zpy_send_copy(void *s, const char *data, size_t size, int flags);
int zpy_send_msg(void *s, zmq_msg_t *msg, int flags);
int zpy_send_frame(void *s, zmq_msg_t *frame, int flags);
long long zpy_recv(void *s, zmq_msg_t *msg, int flags, zpy_recv_info *info);
int zpy_try_send_copy(void *s, const char *data, size_t size, int flags);
long long zpy_try_recv(void *s, zmq_msg_t *msg, int flags, zpy_recv_info *info);
long long zpy_recv_new(void *s, int flags, zpy_recv_info *info, zmq_msg_t **out);
long long zpy_try_recv_new(void *s, int flags, zpy_recv_info *info, zmq_msg_t **out);
void zpy_msg_reset(zmq_msg_t *msg);
long long zpy_recv_into(void *s, char *buf, size_t n, int flags);

zmq_msg_t *zpy_msg_new(void);
int zpy_msg_init_copy(zmq_msg_t *msg, const char *data, size_t size);
zmq_msg_t *zpy_msg_new_copy(const char *data, size_t size);
void zpy_msg_free(zmq_msg_t *msg);

int zpy_zc_init(void);
int zpy_zc_after_fork(void);
zc_item *zpy_msg_init_zerocopy(zmq_msg_t *msg, char *data, size_t size, int tracked,
                               unsigned long long key);
long zpy_zc_pending(void);
int zpy_zc_drain(unsigned long long *out, int max);
long zpy_zc_wait(long timeout_ms);
int zpy_zc_done(zc_item *item);
int zpy_zc_wait_item(zc_item *item, long timeout_ms);
void zpy_zc_unref(zc_item *item);

int zpy_proxy(void *frontend, void *backend, void *capture, void *control);
size_t zpy_proxy_state_size(void);
void zpy_proxy_init(void *st);
void zpy_proxy_clear(void *st);
int zpy_proxy_run(void *front, void *back, void *capture, void *st);
int zpy_monitored_queue(void *in, void *out, void *mon, const char *in_prefix, size_t in_len,
                        const char *out_prefix, size_t out_len, int swap_ids);

int zpy_is_thread_safe(void *socket);
int zpy_draft_poller_new(void *socket, void **poller, int64_t *fd);
void zpy_draft_poller_drain(void *poller);
void zpy_draft_poller_destroy(void *poller);
int zpy_curve_keypair(char *public_key, char *secret_key);
int zpy_curve_public(char *public_key, const char *secret_key);
int zpy_join(void *s, const char *group);
int zpy_leave(void *s, const char *group);
int zpy_msg_set_routing_id(zmq_msg_t *msg, uint32_t routing_id);
int zpy_msg_set_group(zmq_msg_t *msg, const char *group);
