# Frame: a libzmq message (zmq_msg_t) owned by Python.

cdef object _default_copy_threshold():
    """zmq.COPY_THRESHOLD, read at use time so programs can change it."""
    zmq_module = sys.modules.get("zmq")
    return getattr(zmq_module, "COPY_THRESHOLD", 65536)


cdef object _frame_class = None


cdef Frame _new_frame():
    """An empty Frame of the public class (zmq.Frame once the sugar is imported)."""
    global _frame_class
    cdef object cls = _frame_class
    if cls is None:
        cls = getattr(sys.modules.get("zmq"), "Frame", None)
        if isinstance(cls, type) and issubclass(cls, Frame):
            _frame_class = cls
        else:
            cls = Frame
    if cls is Frame:
        return Frame.__new__(Frame)
    return <Frame>cls.__new__(cls)


cdef class Frame:
    """Frame(data=None, track=False, copy=None, copy_threshold=None)

    A message frame. ``data`` is any object with a contiguous buffer (str is refused).
    ``copy=False`` shares the buffer's memory with libzmq (zero-copy) if it is at least
    ``copy_threshold`` bytes; ``copy=None`` also decides by the threshold. With
    ``track=True``, ``tracker`` tells when libzmq is done with shared memory.
    """

    # (attributes: _zmq.pxd)

    def __cinit__(self, *args, **kwargs):
        # always a valid message, even if a subclass never calls __init__
        zmq_msg_init(&self.zmq_msg)

    def __init__(self, data=None, track=False, copy=None, copy_threshold=None, **kwargs):
        cdef bint readonly = False
        zmq_msg_close(&self.zmq_msg)
        zmq_msg_init(&self.zmq_msg)
        self._bytes = None
        self._readonly = False
        self.more = False
        self.tracker_event = None
        self.tracker = _FINISHED_TRACKER if track else None
        if data is None:
            return
        if isinstance(data, str):
            raise TypeError("str objects not allowed, only bytes and buffers: encode first")
        if copy_threshold is None:
            copy_threshold = _default_copy_threshold()
        zmq_msg_close(&self.zmq_msg)
        try:
            event = _init_msg(&self.zmq_msg, data, copy is not None and copy,
                              copy_threshold if copy is None else 0, track, &readonly)
        except BaseException:
            zmq_msg_init(&self.zmq_msg)
            raise
        if event is not None:
            self.tracker_event = event
            self.tracker = MessageTracker(event)
        self._readonly = readonly

    def __dealloc__(self):
        zmq_msg_close(&self.zmq_msg)

    def __copy__(self):
        return self.fast_copy()

    def fast_copy(self):
        """A new Frame sharing this one's data (libzmq reference counting, no copy)."""
        cdef Frame other = _new_frame()
        _check_rc(zmq_msg_copy(&other.zmq_msg, &self.zmq_msg))
        other._bytes = self._bytes
        other._readonly = self._readonly
        other.tracker = self.tracker
        other.tracker_event = self.tracker_event
        return other

    def __getbuffer__(self, Py_buffer *view, int flags):
        if flags & PyBUF_WRITABLE and self._readonly:
            raise BufferError("the frame shares a read-only buffer")
        view.buf = zmq_msg_data(&self.zmq_msg)
        view.len = zmq_msg_size(&self.zmq_msg)
        view.obj = self
        view.readonly = self._readonly
        view.format = NULL
        if flags & PyBUF_FORMAT:
            view.format = "B"
        view.ndim = 1
        view.shape = NULL
        if flags & PyBUF_ND:
            view.shape = &view.len
        view.strides = NULL
        if flags & PyBUF_STRIDES == PyBUF_STRIDES:
            view.strides = &view.itemsize
        view.suboffsets = NULL
        view.itemsize = 1
        view.internal = NULL

    def __len__(self):
        return zmq_msg_size(&self.zmq_msg)

    @property
    def bytes(self) -> bytes:
        """The contents as bytes (copied once, then cached)."""
        if self._bytes is None:
            self._bytes = PyBytes_FromStringAndSize(<char *>zmq_msg_data(&self.zmq_msg),
                                                    zmq_msg_size(&self.zmq_msg))
        return self._bytes

    def __bytes__(self):
        return self.bytes

    @property
    def buffer(self) -> memoryview:
        """A memoryview of the contents (no copy): the same one while it is referenced."""
        # a weak reference: a strong one would be a cycle keeping zero-copy memory alive
        view = None if self._buffer_ref is None else self._buffer_ref()
        if view is None:
            view = memoryview(self)
            self._buffer_ref = _weakref(view)
        return view

    def __eq__(self, other):
        if isinstance(other, Frame):
            return self.bytes == (<Frame>other).bytes
        if isinstance(other, (bytes, bytearray, memoryview)):
            return self.bytes == other
        return NotImplemented

    def __hash__(self):
        return object.__hash__(self)

    def __repr__(self):
        cdef size_t size = zmq_msg_size(&self.zmq_msg)
        data = PyBytes_FromStringAndSize(<char *>zmq_msg_data(&self.zmq_msg), min(size, <size_t>32))
        return f"<{type(self).__name__}({data!r}{'...' if size > 32 else ''}, {size}B)>"

    def get(self, option):
        """A message property: an int option (zmq.MORE, zmq.SRCFD, zmq.SHARED),
        "routing_id", "group", or a metadata name (str, e.g. "Socket-Type", libzmq 4.1+)."""
        cdef int rc
        cdef const char *value
        if isinstance(option, int):
            rc = zmq_msg_get(&self.zmq_msg, option)
            _check_rc(rc)
            return rc
        if option == "routing_id":
            return self.routing_id
        if option == "group":
            return self.group
        _check_version((4, 1), "Frame metadata")
        name = _c_addr(option)
        value = zmq_msg_gets(&self.zmq_msg, name)
        if value == NULL:
            _raise_errno(_zmq_errno_c())
        return value.decode("utf-8", "replace")

    def __getitem__(self, key):
        return self.get(key)

    def set(self, option, value):
        """Set a message property: an int option, "routing_id" or "group"."""
        if option == "routing_id":
            self.routing_id = value
        elif option == "group":
            self.group = value
        else:
            _check_rc(zmq_msg_set(&self.zmq_msg, option, value))

    @property
    def routing_id(self):
        """The routing id (SERVER/CLIENT draft sockets), or None if unset."""
        _need_draft("Frame.routing_id (CLIENT-SERVER)")
        cdef uint32_t rid = zmq_msg_routing_id(&self.zmq_msg)
        return rid if rid != 0 else None

    @routing_id.setter
    def routing_id(self, uint32_t value):
        _need_draft("Frame.routing_id (CLIENT-SERVER)")
        _check_rc(zmq_msg_set_routing_id(&self.zmq_msg, value))

    @property
    def group(self):
        """The group (RADIO/DISH draft sockets)."""
        _need_draft("Frame.group (RADIO-DISH)")
        cdef const char *group = zmq_msg_group(&self.zmq_msg)
        if group != NULL:
            return group.decode("utf-8")
        _raise_errno(_zmq_errno_c())

    @group.setter
    def group(self, value):
        _need_draft("Frame.group (RADIO-DISH)")
        _check_rc(zmq_msg_set_group(&self.zmq_msg, _c_group(value)))


Message = Frame
