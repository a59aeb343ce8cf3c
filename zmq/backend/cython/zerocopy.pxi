# Zero-copy sends: libzmq shares the memory of a Python buffer until it releases the
# message. The free callback (C, _zerocopy.h) only queues the item; the Python buffer is
# released here, in batches, with the GIL: by the next backend call that notices the
# queue is non-empty, or by one reaper thread that libzmq wakes through a condition
# variable (so buffers are freed even when the program makes no further zmq calls).

cdef extern from "_zerocopy.h" nogil:
    ctypedef struct zc_item:
        zc_item *next
    ctypedef struct zc_queue:
        pass
    int zc_queue_init(zc_queue *q)
    int zc_queue_after_fork(zc_queue *q)
    long zc_pending(zc_queue *q)
    zc_item *zc_queue_take(zc_queue *q)
    long zc_queue_wait(zc_queue *q, long timeout_ms)
    zc_item *zc_item_new(zc_queue *q, size_t size, long extra_refs)
    void zc_item_unref(zc_item *item)
    int zc_item_done(zc_item *item)
    int zc_item_wait(zc_item *item, long timeout_ms)
    void zc_free_fn(void *data, void *hint)
    long long zc_now_ms()
    void zc_sleep_ms(long ms)


cdef extern from "Python.h":
    # without Cython's automatic exception check: callers turn failures into TypeError
    int _PyObject_GetBuffer "PyObject_GetBuffer"(object obj, Py_buffer *view, int flags)
    void PyErr_Clear()


ctypedef struct _buffer_item:
    zc_item base
    Py_buffer view  # holds the reference to the exporting Python object


cdef zc_queue _zc_queue
if zc_queue_init(&_zc_queue) != 0:
    raise ImportError("zmq: could not initialise the zero-copy release queue")

cdef enum:
    # how long the reaper leaves released buffers for a busy thread to drain first (ms),
    # so it wakes once per batch; the CFFI backend's value (measured there)
    _REAPER_DELAY_MS = 20
    # a tracker's wait returns to Python this often, so signal handlers run (ms): Ctrl-C
    # is served within 0.1 s for 10 wakeups a second
    _WAIT_STEP_MS = 100
cdef bint _reaper_started = False


cdef void _zc_release_all() noexcept:
    """Release the Python buffers of every message libzmq has freed (needs the GIL)."""
    cdef zc_item *item = zc_queue_take(&_zc_queue)
    cdef zc_item *following
    while item != NULL:
        following = item.next
        PyBuffer_Release(&(<_buffer_item *>item).view)
        zc_item_unref(item)
        item = following


cdef inline void _zc_release_pending() noexcept:
    """The cheap check every backend call makes."""
    if zc_pending(&_zc_queue):
        _zc_release_all()


def _reaper_loop():
    while True:
        with nogil:
            zc_queue_wait(&_zc_queue, -1)
            zc_sleep_ms(_REAPER_DELAY_MS)
        _zc_release_all()


cdef int _start_reaper() except -1:
    global _reaper_started
    _reaper_started = True
    threading.Thread(target=_reaper_loop, name="zmq-zerocopy-reaper", daemon=True).start()
    return 0


def _after_fork_in_child():
    # The parent's in-flight messages are not ours; libzmq will never release them here.
    global _reaper_started
    zc_queue_after_fork(&_zc_queue)
    _reaper_started = False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


@cython.final
cdef class _TrackerEvent:
    """Completion of one zero-copy message, with threading.Event's reading API.

    Set once libzmq has released the message's memory and the binding its buffer (the
    sent object is no longer exported); ``MessageTracker`` watches these.
    """

    cdef zc_item *item

    def __dealloc__(self):
        if self.item != NULL:
            zc_item_unref(self.item)

    cdef bint _done(self) noexcept:
        # done means the buffer is the caller's again: release it before saying so
        if zc_item_done(self.item):
            _zc_release_pending()
            return True
        return False

    def is_set(self) -> bool:
        return self._done()

    @property
    def done(self) -> bool:
        return self._done()

    def wait(self, timeout=None) -> bool:
        """Block (without the GIL) until done or ``timeout`` seconds (None: forever).
        Returns whether it is done. Signal handlers run every _WAIT_STEP_MS while
        waiting."""
        cdef long long deadline = 0
        cdef long step
        cdef int done = 0
        if timeout is not None:
            deadline = zc_now_ms() + <long long>(max(float(timeout), 0.0) * 1000)
        while True:
            step = _WAIT_STEP_MS
            if timeout is not None:
                step = <long>min(deadline - zc_now_ms(), _WAIT_STEP_MS)
                if step < 0:
                    step = 0
            with nogil:
                done = zc_item_wait(self.item, step)
            if done:
                return self._done()
            if timeout is not None and zc_now_ms() >= deadline:
                return False
            PyErr_CheckSignals()


cdef _TrackerEvent _new_tracker_event(zc_item *item):
    """Wrap item; the caller has already counted this event's reference."""
    cdef _TrackerEvent event = _TrackerEvent.__new__(_TrackerEvent)
    event.item = item
    return event


cdef object _init_msg(zmq_msg_t *msg, object data, bint copy, Py_ssize_t copy_threshold,
                      bint track, bint *readonly):
    """Initialise msg (not yet initialised) with data's bytes: copied if `copy` or smaller than copy_threshold,
    else shared zero-copy. Returns the _TrackerEvent if tracking a shared buffer, else None.
    readonly is set when shared memory must not be written through the Frame.
    Raises TypeError for objects without a buffer, BufferError for non-contiguous ones."""
    cdef Py_buffer view
    cdef _buffer_item *item
    cdef int rc
    _get_buffer(data, &view, PyBUF_ANY_CONTIGUOUS, -1)
    readonly[0] = False
    if copy or view.len < copy_threshold:
        try:
            rc = zmq_msg_init_size(msg, view.len)
            _check_rc(rc)
            memcpy(zmq_msg_data(msg), view.buf, view.len)
        finally:
            PyBuffer_Release(&view)
        return None
    readonly[0] = view.readonly
    PyBuffer_Release(&view)
    item = <_buffer_item *>zc_item_new(&_zc_queue, sizeof(_buffer_item), 1 if track else 0)
    if item == NULL:
        raise MemoryError()
    # re-acquired into its final place: some exporters point view fields into the struct
    if _PyObject_GetBuffer(data, &item.view, PyBUF_ANY_CONTIGUOUS) < 0:
        PyErr_Clear()
        free(item)
        raise BufferError("the buffer changed while it was being sent")
    rc = zmq_msg_init_data(msg, item.view.buf, item.view.len, zc_free_fn, item)
    if rc != 0:
        PyBuffer_Release(&item.view)
        free(item)
        _check_rc(rc)
    if not _reaper_started:
        _start_reaper()
    if track:
        return _new_tracker_event(&item.base)
    return None


cdef int _get_buffer(object obj, Py_buffer *view, int flags, Py_ssize_t index) except -1:
    """PyObject_GetBuffer with a clear error; index >= 0 names a multipart frame.
    TypeError for objects without a buffer, BufferError (as pyzmq) for a buffer of the
    wrong kind: not contiguous, or read-only where a writable one is needed."""
    if _PyObject_GetBuffer(obj, view, flags) == 0:
        return 0
    PyErr_Clear()
    where = "" if index < 0 else f"frame {index} "
    if isinstance(obj, str):
        raise TypeError(f"{where}unicode not allowed, use send_string") from None
    if PyObject_CheckBuffer(obj):
        problem = "not contiguous"
        if flags & PyBUF_WRITABLE and memoryview(obj).readonly:
            problem = "read-only"
        raise BufferError(f"{where}{type(obj).__name__} buffer is {problem}") from None
    raise TypeError(f"{where}{type(obj).__name__} does not support the buffer interface: "
                    f"{obj!r:.60}") from None
