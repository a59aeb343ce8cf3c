/* Round trips through a statically linked bundled libzmq (+ libsodium) built for Windows.
 *
 * Built by tests/buildutils/test_windows_cross_slow.py with a MinGW cross compiler and run under Wine:
 * version, PUSH/PULL and REQ/REP over TCP on a system-assigned port, a CURVE-secured
 * REQ/REP round trip, and a CURVE handshake with a wrong server key that the server's
 * monitor must report as failed. Prints one "ok ..." line per step; any failure prints
 * "FAIL ..." (with zmq_strerror()) and exits non-zero. Every receive has a timeout. */
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#define TIMEOUT_MS 10000

static int fail(const char *what)
{
    printf("FAIL %s: %s\n", what, zmq_strerror(zmq_errno()));
    return 1;
}

static int set_int(void *socket, int option, int value)
{
    return zmq_setsockopt(socket, option, &value, sizeof value);
}

/* A socket with linger 0 and send/receive timeouts, or NULL. */
static void *make_socket(void *ctx, int type)
{
    void *s = zmq_socket(ctx, type);
    if (s && (set_int(s, ZMQ_LINGER, 0) || set_int(s, ZMQ_RCVTIMEO, TIMEOUT_MS)
              || set_int(s, ZMQ_SNDTIMEO, TIMEOUT_MS))) {
        zmq_close(s);
        return NULL;
    }
    return s;
}

static void close_all(void *a, void *b, void *c)
{
    void *sockets[3] = {a, b, c};
    int i;
    for (i = 0; i < 3; i++)
        if (sockets[i])
            zmq_close(sockets[i]);
}

/* Bind to 127.0.0.1 on a port the system picks; the endpoint ends up in endpoint[]. */
static int bind_any(void *s, char *endpoint, size_t size)
{
    if (zmq_bind(s, "tcp://127.0.0.1:*") != 0)
        return -1;
    return zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, endpoint, &size);
}

/* Send text from a to b; 0 if b received exactly that text. */
static int pass(void *a, void *b, const char *text)
{
    char buf[256];
    int n;
    if (zmq_send(a, text, strlen(text), 0) != (int) strlen(text))
        return -1;
    n = zmq_recv(b, buf, sizeof buf - 1, 0);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    return strcmp(buf, text) == 0 ? 0 : -2;
}

/* connect b to a bound at a random port, then a -> b (and b -> a if reply). */
static int round_trip(void *ctx, int bound_type, int connected_type, int reply, const char *name,
                      const char *server_secret, const char *server_public,
                      const char *client_public, const char *client_secret)
{
    char endpoint[256];
    int rc = 1;
    void *bound = make_socket(ctx, bound_type);
    void *connected = make_socket(ctx, connected_type);
    if (!bound || !connected) {
        rc = fail("socket");
        goto out;
    }
    if (server_secret) {
        if (set_int(bound, ZMQ_CURVE_SERVER, 1)
            || zmq_setsockopt(bound, ZMQ_CURVE_SECRETKEY, server_secret, 40)
            || zmq_setsockopt(connected, ZMQ_CURVE_SERVERKEY, server_public, 40)
            || zmq_setsockopt(connected, ZMQ_CURVE_PUBLICKEY, client_public, 40)
            || zmq_setsockopt(connected, ZMQ_CURVE_SECRETKEY, client_secret, 40)) {
            rc = fail("curve options");
            goto out;
        }
    }
    if (bind_any(bound, endpoint, sizeof endpoint) != 0) {
        rc = fail("bind");
        goto out;
    }
    if (zmq_connect(connected, endpoint) != 0) {
        rc = fail("connect");
        goto out;
    }
    /* REQ/REP: the connected REQ asks, the bound REP answers; PUSH/PULL: bound pushes. */
    if (reply) {
        if (pass(connected, bound, "request") != 0 || pass(bound, connected, "reply") != 0) {
            rc = fail(name);
            goto out;
        }
    } else if (pass(bound, connected, "pushed") != 0) {
        rc = fail(name);
        goto out;
    }
    if (server_secret) {
        int mechanism = 0;
        size_t size = sizeof mechanism;
        if (zmq_getsockopt(connected, ZMQ_MECHANISM, &mechanism, &size) != 0
            || mechanism != ZMQ_CURVE) {
            printf("FAIL %s: mechanism %d is not CURVE\n", name, mechanism);
            goto out;
        }
    }
    printf("ok %s %s\n", name, endpoint);
    rc = 0;
out:
    close_all(bound, connected, NULL);
    return rc;
}

/* CURVE with a wrong server key: the server's monitor must report a failed handshake. */
static int curve_rejects_wrong_key(void *ctx, const char *server_secret,
                                   const char *client_public, const char *client_secret,
                                   const char *wrong_server_public)
{
    char endpoint[256];
    unsigned char event[6];
    unsigned short id = 0;
    unsigned int value = 0;
    int rc = 1;
    void *server = make_socket(ctx, ZMQ_REP);
    void *client = make_socket(ctx, ZMQ_REQ);
    void *monitor = make_socket(ctx, ZMQ_PAIR);
    if (!server || !client || !monitor) {
        rc = fail("socket");
        goto out;
    }
    if (set_int(server, ZMQ_CURVE_SERVER, 1)
        || zmq_setsockopt(server, ZMQ_CURVE_SECRETKEY, server_secret, 40)
        || zmq_setsockopt(client, ZMQ_CURVE_SERVERKEY, wrong_server_public, 40)
        || zmq_setsockopt(client, ZMQ_CURVE_PUBLICKEY, client_public, 40)
        || zmq_setsockopt(client, ZMQ_CURVE_SECRETKEY, client_secret, 40)
        || zmq_socket_monitor(server, "inproc://server-monitor",
                              ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
        || zmq_connect(monitor, "inproc://server-monitor")
        || bind_any(server, endpoint, sizeof endpoint) || zmq_connect(client, endpoint)
        || zmq_send(client, "secret", 6, 0) != 6) {
        rc = fail("curve wrong key setup");
        goto out;
    }
    /* first frame: 16-bit event id, 32-bit value (native byte order); then the endpoint */
    if (zmq_recv(monitor, event, sizeof event, 0) != (int) sizeof event) {
        rc = fail("curve wrong key: monitor event");
        goto out;
    }
    memcpy(&id, event, sizeof id);
    memcpy(&value, event + 2, sizeof value);
    if (id != ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
        || value != ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC) {
        printf("FAIL curve wrong key: event 0x%x value 0x%x\n", id, value);
        goto out;
    }
    printf("ok curve-wrong-key rejected\n");
    rc = 0;
out:
    close_all(server, client, monitor);
    return rc;
}

int main(void)
{
    int major, minor, patch, rc = 0;
    char server_public[41], server_secret[41], client_public[41], client_secret[41];
    void *ctx;

    zmq_version(&major, &minor, &patch);
    if (major != ZMQ_VERSION_MAJOR || minor != ZMQ_VERSION_MINOR || patch != ZMQ_VERSION_PATCH) {
        printf("FAIL version: runtime %d.%d.%d, header %d.%d.%d\n", major, minor, patch,
               ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH);
        return 1;
    }
    printf("ok version %d.%d.%d\n", major, minor, patch);
    printf("ok has curve=%d ipc=%d\n", zmq_has("curve"), zmq_has("ipc"));
    if (zmq_has("curve") != 1)
        return 1;
    if (zmq_curve_keypair(server_public, server_secret) != 0
        || zmq_curve_keypair(client_public, client_secret) != 0)
        return fail("curve keypair");
    if (strcmp(server_public, client_public) == 0) {
        printf("FAIL curve keypair: two identical keys\n");
        return 1;
    }
    printf("ok curve keypair\n");

    ctx = zmq_ctx_new();
    if (!ctx)
        return fail("context");
    rc |= round_trip(ctx, ZMQ_PUSH, ZMQ_PULL, 0, "push-pull", NULL, NULL, NULL, NULL);
    rc |= round_trip(ctx, ZMQ_REP, ZMQ_REQ, 1, "req-rep", NULL, NULL, NULL, NULL);
    rc |= round_trip(ctx, ZMQ_REP, ZMQ_REQ, 1, "curve-req-rep", server_secret, server_public,
                     client_public, client_secret);
    rc |= curve_rejects_wrong_key(ctx, server_secret, client_public, client_secret, client_public);
    if (zmq_ctx_term(ctx) != 0)
        rc |= fail("context term");
    if (rc == 0)
        printf("ok done\n");
    return rc;
}
