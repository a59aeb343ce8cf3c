/* Baseline for tools/bench: the same workloads as worker.py, written against libzmq's C API.
 *
 * usage: zmqbench KIND TRANSPORT SIZE COUNT WARMUP COPY
 *   KIND       pushpull | multipart | reqrep | pubsub
 *   TRANSPORT  inproc | ipc | tcp
 *   COPY       1: zmq_send/zmq_recv (libzmq copies in and out of our buffer, like copy=True)
 *              0: zmq_msg_init_data without free function / zmq_msg_recv (no copy, like copy=False)
 * The receiving end runs in the main thread and times COUNT messages after WARMUP ones; the
 * other end runs in a second thread. Prints one JSON object on stdout.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define TIMEOUT_MS 10000
#define MULTIPART_FRAMES 3
#define BATCH 100 /* messages per batch in single-thread mode */

typedef struct {
    void *socket;
    int type;     /* the peer's socket type */
    int frames;   /* frames per message */
    int copy;
    char *buf;    /* stays allocated until the context is terminated: zero-copy sends use it */
    size_t size;
    long total;   /* warmup + count */
    volatile int ready; /* pubsub: the subscriber has seen a sync message */
} peer_t;

static long progress = -1; /* index of the message being received, for errors */

static void fail(const char *what)
{
    printf("{\"ok\": false, \"error\": \"%s: %s (message %ld)\"}\n", what, zmq_strerror(zmq_errno()), progress);
    fflush(stdout);
    _exit(2);
}

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Wall time, and the CPU time of the whole process (every thread, libzmq's too). */
typedef struct {
    double wall, cpu;
} stamp_t;

static stamp_t now(void)
{
    return (stamp_t){clock_seconds(CLOCK_MONOTONIC), clock_seconds(CLOCK_PROCESS_CPUTIME_ID)};
}

static void *open_socket(void *ctx, int type)
{
    void *s = zmq_socket(ctx, type);
    int zero = 0, timeout = TIMEOUT_MS;
    if (!s)
        fail("zmq_socket");
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(s, ZMQ_SNDTIMEO, &timeout, sizeof timeout);
    if (type == ZMQ_SUB || type == ZMQ_PUB) {
        /* PUB drops at the high-water mark; the subscriber must see every message. */
        zmq_setsockopt(s, ZMQ_SNDHWM, &zero, sizeof zero);
        zmq_setsockopt(s, ZMQ_RCVHWM, &zero, sizeof zero);
    }
    if (type == ZMQ_SUB)
        zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0);
    return s;
}

static void send_one(void *s, char *buf, size_t size, int copy, int flags)
{
    if (copy) {
        if (zmq_send(s, buf, size, flags) < 0)
            fail("zmq_send");
    } else {
        zmq_msg_t msg;
        zmq_msg_init_data(&msg, buf, size, NULL, NULL);
        if (zmq_msg_send(&msg, s, flags) < 0)
            fail("zmq_msg_send");
    }
}

/* Receives one frame; returns its size and stores whether more frames follow. */
static size_t recv_one(void *s, char *buf, size_t cap, int copy, int *more)
{
    zmq_msg_t msg;
    size_t n;
    if (copy) {
        int rc = zmq_recv(s, buf, cap, 0);
        size_t len = sizeof *more;
        if (rc < 0)
            fail("zmq_recv");
        zmq_getsockopt(s, ZMQ_RCVMORE, more, &len);
        return (size_t)rc;
    }
    zmq_msg_init(&msg);
    if (zmq_msg_recv(&msg, s, 0) < 0)
        fail("zmq_msg_recv");
    n = zmq_msg_size(&msg);
    *more = zmq_msg_more(&msg);
    zmq_msg_close(&msg);
    return n;
}

static void send_message(void *s, char *buf, size_t size, int copy, int frames)
{
    int f;
    for (f = 0; f < frames; f++)
        send_one(s, buf, size, copy, f < frames - 1 ? ZMQ_SNDMORE : 0);
}

/* Returns the size of the last frame; fails unless exactly `frames` frames arrived. */
static size_t recv_message(void *s, char *buf, size_t cap, int copy, int frames)
{
    int f, more = 0;
    size_t n = 0;
    for (f = 0; f < frames; f++) {
        n = recv_one(s, buf, cap, copy, &more);
        if (more != (f < frames - 1))
            fail("unexpected frame count");
    }
    return n;
}

/* The peer's socket is opened and closed by the main thread: closing it as soon as the last
 * message is queued can lose messages still in flight (seen with libzmq 4.3.4 over ipc). */
static void *peer_main(void *arg)
{
    peer_t *p = arg;
    void *s = p->socket;
    char *buf = p->buf;
    long i;
    /* Subscriptions propagate asynchronously: send empty sync messages until one arrives. */
    while (p->type == ZMQ_PUB && !p->ready) {
        zmq_send(s, "", 0, 0);
        usleep(1000);
    }
    for (i = 0; i < p->total; i++) {
        if (p->type == ZMQ_REP) {
            size_t n = recv_message(s, buf, p->size, 1, 1);
            send_message(s, buf, n, 1, 1);
        } else {
            send_message(s, buf, p->size, p->copy, p->frames);
        }
    }
    return NULL;
}

/* Both ends in the calling thread, in batches below the high-water mark: the per-call cost
 * without a second thread (for profiling). Returns the size of the last frame received. */
static size_t single_thread(void *s, char *buf, peer_t *p, long total)
{
    long i, j, batch;
    size_t n = 0;
    for (i = 0; i < total; i += batch) {
        batch = total - i < BATCH ? total - i : BATCH;
        for (j = 0; j < batch; j++)
            send_message(p->socket, p->buf, p->size, p->copy, p->frames);
        for (j = 0; j < batch; j++)
            n = recv_message(s, buf, p->size, p->copy, p->frames);
    }
    return n;
}

static void bind_endpoint(void *s, const char *transport, char *out, size_t cap, char *ipc_dir)
{
    size_t len = cap;
    if (!strcmp(transport, "inproc"))
        snprintf(out, cap, "inproc://zmqbench");
    else if (!strcmp(transport, "tcp"))
        snprintf(out, cap, "tcp://127.0.0.1:*");
    else if (!strcmp(transport, "ipc")) {
        if (!mkdtemp(ipc_dir))
            fail("mkdtemp");
        snprintf(out, cap, "ipc://%s/bench.sock", ipc_dir);
    } else {
        printf("{\"ok\": false, \"error\": \"unknown transport %s\"}\n", transport);
        exit(2);
    }
    if (zmq_bind(s, out) < 0)
        fail("zmq_bind");
    zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, out, &len);
}

int main(int argc, char **argv)
{
    const char *kind, *transport;
    size_t size, n = 0;
    long count, warmup, i;
    int copy, major, minor, patch, frames = 1, recv_type, send_type, threaded;
    char endpoint[256], ipc_dir[] = "/tmp/zmqbench-XXXXXX";
    char *buf, *peer_buf;
    void *ctx, *s, *peer_socket;
    peer_t peer;
    pthread_t thread;
    stamp_t t0 = {0, 0}, t1;

    if (argc != 7) {
        fprintf(stderr, "usage: %s KIND TRANSPORT SIZE COUNT WARMUP COPY\n", argv[0]);
        return 2;
    }
    kind = argv[1];
    transport = argv[2];
    size = (size_t)atol(argv[3]);
    count = atol(argv[4]);
    warmup = atol(argv[5]);
    copy = atoi(argv[6]) != 0;
    if (count < 1 || warmup < 1 || size < 1) {
        printf("{\"ok\": false, \"error\": \"SIZE, COUNT and WARMUP must be >= 1\"}\n");
        return 2;
    }

    threaded = strncmp(kind, "st-", 3) != 0;
    kind += threaded ? 0 : 3;
    if (!strcmp(kind, "pushpull") || !strcmp(kind, "multipart")) {
        recv_type = ZMQ_PULL;
        send_type = ZMQ_PUSH;
        if (!strcmp(kind, "multipart"))
            frames = MULTIPART_FRAMES;
    } else if (!threaded) {
        printf("{\"ok\": false, \"error\": \"unknown kind st-%s\"}\n", kind);
        return 2;
    } else if (!strcmp(kind, "reqrep")) {
        recv_type = ZMQ_REQ;
        send_type = ZMQ_REP;
    } else if (!strcmp(kind, "pubsub")) {
        recv_type = ZMQ_SUB;
        send_type = ZMQ_PUB;
    } else {
        printf("{\"ok\": false, \"error\": \"unknown kind %s\"}\n", kind);
        return 2;
    }

    ctx = zmq_ctx_new();
    s = open_socket(ctx, recv_type);
    bind_endpoint(s, transport, endpoint, sizeof endpoint, ipc_dir);
    peer_socket = open_socket(ctx, send_type);
    if (zmq_connect(peer_socket, endpoint) < 0)
        fail("zmq_connect");

    buf = malloc(size);
    memset(buf, 'x', size);
    peer_buf = malloc(size);
    memset(peer_buf, 'x', size);
    peer = (peer_t){peer_socket, send_type, frames, copy, peer_buf, size, warmup + count, 0};
    if (!threaded) {
        single_thread(s, buf, &peer, warmup);
        t0 = now();
        n = single_thread(s, buf, &peer, count);
        t1 = now();
        goto done;
    }
    pthread_create(&thread, NULL, peer_main, &peer);

    if (recv_type == ZMQ_SUB) {
        /* The first non-empty message is the first warm-up message. */
        do {
            n = recv_message(s, buf, size, 1, 1);
            peer.ready = 1;
        } while (n == 0);
        warmup--;
    }
    for (i = 0; i < warmup + count; i++) {
        progress = i;
        if (i == warmup)
            t0 = now();
        if (recv_type == ZMQ_REQ) {
            send_message(s, buf, size, 1, 1);
            n = recv_message(s, buf, size, 1, 1);
        } else {
            n = recv_message(s, buf, size, copy, frames);
        }
    }
    t1 = now();
    pthread_join(thread, NULL);
done:
    zmq_close(peer_socket);
    zmq_close(s);
    zmq_ctx_term(ctx);
    if (!strcmp(transport, "ipc")) {
        char path[300];
        snprintf(path, sizeof path, "%s/bench.sock", ipc_dir);
        unlink(path);
        rmdir(ipc_dir);
    }
    free(buf);
    free(peer_buf);
    if (n != size) {
        printf("{\"ok\": false, \"error\": \"last message has %zu bytes, expected %zu\"}\n", n, size);
        return 2;
    }
    zmq_version(&major, &minor, &patch);
    printf("{\"ok\": true, \"count\": %ld, \"elapsed\": %.9f, \"cpu\": %.9f, "
           "\"info\": {\"impl\": \"C\", \"zmq_version\": \"%d.%d.%d\"}}\n",
           count, t1.wall - t0.wall, t1.cpu - t0.cpu, major, minor, patch);
    return 0;
}
