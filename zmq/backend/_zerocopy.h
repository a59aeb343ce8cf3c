/*
 * Zero-copy release queue shared by the Cython and CFFI backends.
 *
 * libzmq calls a message's free function on whatever thread drops the last reference,
 * usually its I/O thread, where taking the GIL would be slow (and deadlock-prone at
 * interpreter exit). So the free function below never touches Python: it marks the
 * item done and pushes it onto a mutex-protected queue. The binding later takes the
 * whole queue at once while holding the GIL and releases the Python objects of every
 * item (one GIL acquisition per batch).
 *
 * Pure C (no Python.h), header-only, every function static inline. Usage:
 *
 *   static zc_queue q;                 zc_queue_init(&q);  (zc_queue_after_fork in a child)
 *   zc_item *it = zc_item_new(&q, sizeof(my_item), tracked);   my_item starts with zc_item
 *   zmq_msg_init_data(&msg, data, len, zc_free_fn, it);
 *   ... later, with the GIL:  for (it = zc_queue_take(&q); it; it = next) {
 *         next = it->next; release it's Python objects; zc_item_unref(it); }
 *   trackers: zc_item_ref(it) while watching, zc_item_done(it), zc_item_wait(it, ms),
 *             zc_item_unref(it) when done watching.
 */
#ifndef ZMQ_BACKEND_ZEROCOPY_H
#define ZMQ_BACKEND_ZEROCOPY_H

#include <stddef.h>
#include <stdlib.h>

#ifdef _WIN32
#include <windows.h>
typedef SRWLOCK zc_mutex_t;
typedef CONDITION_VARIABLE zc_cond_t;
#else
#include <errno.h>
#include <pthread.h>
#include <time.h>
typedef pthread_mutex_t zc_mutex_t;
typedef pthread_cond_t zc_cond_t;
#endif

#if defined(_MSC_VER)
#define ZC_API static __inline
#else
#define ZC_API static inline
#endif

#if defined(_MSC_VER) && !defined(__clang__)
#if defined(_M_IX86) || defined(_M_X64)
/* x86 orders plain loads and stores already: only the compiler must not reorder them */
#define ZC_LOAD(p) (_ReadWriteBarrier(), *(p))
#define ZC_STORE(p, v) do { _ReadWriteBarrier(); *(p) = (v); _ReadWriteBarrier(); } while (0)
#else
/* ARM64 and others: interlocked operations are full barriers */
#define ZC_LOAD(p) InterlockedOr((p), 0)
#define ZC_STORE(p, v) ((void)InterlockedExchange((p), (v)))
#endif
#define ZC_INCREF(p) InterlockedIncrement(p)
#define ZC_DECREF(p) InterlockedDecrement(p)
#else
#define ZC_LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define ZC_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define ZC_INCREF(p) __atomic_add_fetch((p), 1, __ATOMIC_ACQ_REL)
#define ZC_DECREF(p) __atomic_sub_fetch((p), 1, __ATOMIC_ACQ_REL)
#endif

struct zc_queue;

/* One zero-copy message. Bindings allocate a larger struct that starts with this one. */
typedef struct zc_item {
    struct zc_item *next;   /* link while queued */
    struct zc_queue *queue; /* where zc_free_fn pushes it */
    volatile long refs;     /* 1 for the message (dropped after the drain) + 1 per tracker */
    volatile long done;     /* 1 once libzmq released the data */
} zc_item;

typedef struct zc_queue {
    zc_mutex_t mutex;
    zc_cond_t cond;      /* broadcast on every push, when someone waits */
    zc_item *head;       /* released items not yet drained (LIFO; order does not matter) */
    volatile long pending; /* number of items in head, readable without the lock */
    long waiters;        /* threads blocked on cond (under mutex) */
} zc_queue;

/* ---- portable mutex / condition variable ---- */

#ifdef _WIN32
ZC_API int zc_sync_init(zc_queue *q)
{
    InitializeSRWLock(&q->mutex);
    InitializeConditionVariable(&q->cond);
    return 0;
}
ZC_API void zc_lock(zc_queue *q) { AcquireSRWLockExclusive(&q->mutex); }
ZC_API void zc_unlock(zc_queue *q) { ReleaseSRWLockExclusive(&q->mutex); }
ZC_API void zc_broadcast(zc_queue *q) { WakeAllConditionVariable(&q->cond); }
/* Wait at most timeout_ms (< 0: forever); the caller re-checks its condition. */
ZC_API void zc_cond_wait(zc_queue *q, long timeout_ms)
{
    SleepConditionVariableSRW(&q->cond, &q->mutex, timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms, 0);
}
ZC_API long long zc_now_ms(void) { return (long long)GetTickCount64(); }
ZC_API void zc_sleep_ms(long ms) { Sleep((DWORD)ms); }
#else
ZC_API int zc_sync_init(zc_queue *q)
{
    int rc = pthread_mutex_init(&q->mutex, NULL);
    if (rc != 0)
        return rc;
#if defined(__APPLE__)
    return pthread_cond_init(&q->cond, NULL);
#else
    {
        pthread_condattr_t attr;
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        rc = pthread_cond_init(&q->cond, &attr);
        pthread_condattr_destroy(&attr);
        return rc;
    }
#endif
}
ZC_API void zc_lock(zc_queue *q) { pthread_mutex_lock(&q->mutex); }
ZC_API void zc_unlock(zc_queue *q) { pthread_mutex_unlock(&q->mutex); }
ZC_API void zc_broadcast(zc_queue *q) { pthread_cond_broadcast(&q->cond); }
ZC_API long long zc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
ZC_API void zc_cond_wait(zc_queue *q, long timeout_ms)
{
    struct timespec ts;
    if (timeout_ms < 0) {
        pthread_cond_wait(&q->cond, &q->mutex);
        return;
    }
#if defined(__APPLE__)
    ts.tv_sec = timeout_ms / 1000;
    ts.tv_nsec = (timeout_ms % 1000) * 1000000L;
    pthread_cond_timedwait_relative_np(&q->cond, &q->mutex, &ts);
#else
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec += 1;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&q->cond, &q->mutex, &ts);
#endif
}
ZC_API void zc_sleep_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}
#endif

/* ---- queue ---- */

ZC_API int zc_queue_init(zc_queue *q)
{
    q->head = NULL;
    q->pending = 0;
    q->waiters = 0;
    return zc_sync_init(q);
}

/* In a forked child: the lock may have been held by a thread that no longer exists, and
 * queued items belong to the parent's messages. Start empty; those items are leaked. */
ZC_API int zc_queue_after_fork(zc_queue *q) { return zc_queue_init(q); }

ZC_API long zc_pending(zc_queue *q) { return ZC_LOAD(&q->pending); }

/* Take every released item (a linked list through ->next), or NULL. */
ZC_API zc_item *zc_queue_take(zc_queue *q)
{
    zc_item *head;
    if (ZC_LOAD(&q->pending) == 0)
        return NULL;
    zc_lock(q);
    head = q->head;
    q->head = NULL;
    ZC_STORE(&q->pending, 0);
    zc_unlock(q);
    return head;
}

/* Block until *flag != 0 or timeout_ms passed (< 0: forever); returns *flag. */
ZC_API long zc_wait_flag(zc_queue *q, volatile long *flag, long timeout_ms)
{
    long long deadline = timeout_ms < 0 ? 0 : zc_now_ms() + timeout_ms;
    long value;
    zc_lock(q);
    q->waiters++;
    while ((value = ZC_LOAD(flag)) == 0) {
        long left = -1;
        if (timeout_ms >= 0) {
            left = (long)(deadline - zc_now_ms());
            if (left <= 0)
                break;
        }
        zc_cond_wait(q, left);
    }
    q->waiters--;
    zc_unlock(q);
    return value;
}

/* Block (call without the GIL) until something is pending or timeout_ms passed
 * (< 0: forever). Returns the number pending. */
ZC_API long zc_queue_wait(zc_queue *q, long timeout_ms)
{
    return zc_wait_flag(q, &q->pending, timeout_ms);
}

/* ---- items ---- */

/* Allocate an item of `size` bytes (>= sizeof(zc_item), zero-filled). `extra_refs` is
 * the number of trackers that will hold it besides the message. NULL on ENOMEM. */
ZC_API zc_item *zc_item_new(zc_queue *q, size_t size, long extra_refs)
{
    zc_item *item = (zc_item *)calloc(1, size < sizeof(zc_item) ? sizeof(zc_item) : size);
    if (item == NULL)
        return NULL;
    item->queue = q;
    item->refs = 1 + extra_refs;
    return item;
}

ZC_API void zc_item_ref(zc_item *item) { ZC_INCREF(&item->refs); }

ZC_API void zc_item_unref(zc_item *item)
{
    if (ZC_DECREF(&item->refs) == 0)
        free(item);
}

ZC_API int zc_item_done(zc_item *item) { return (int)ZC_LOAD(&item->done); }

/* Block (without the GIL) until libzmq released the item or timeout_ms passed
 * (< 0: forever). Returns done. */
ZC_API int zc_item_wait(zc_item *item, long timeout_ms)
{
    if (zc_item_done(item))
        return 1;
    return (int)zc_wait_flag(item->queue, &item->done, timeout_ms);
}

/* libzmq's zmq_free_fn: runs on any thread, never touches Python. */
ZC_API void zc_free_fn(void *data, void *hint)
{
    zc_item *item = (zc_item *)hint;
    zc_queue *q = item->queue;
    (void)data;
    zc_lock(q);
    item->next = q->head;
    q->head = item;
    ZC_STORE(&q->pending, q->pending + 1);
    /* after the push: whoever sees done can drain the queue and find the item there */
    ZC_STORE(&item->done, 1);
    if (q->waiters)
        zc_broadcast(q);
    zc_unlock(q);
}

#endif /* ZMQ_BACKEND_ZEROCOPY_H */
