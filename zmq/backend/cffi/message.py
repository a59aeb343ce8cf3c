"""Frame: a libzmq message (``zmq_msg_t``) owned by Python.

The ``zmq_msg_t`` is malloc'd by a C helper and closed by ``ffi.gc`` when the Frame (and
every view of its memory) is gone; libzmq reference-counts the content, so sent copies
outlive it.
"""

from __future__ import annotations

import builtins
import gc
import platform
import sys
import weakref
from typing import Any, Optional, Union

from zmq._tracker import _FINISHED_TRACKER, MessageTracker
from zmq.backend._draft import check_group

from ._cffi_zmq import ffi, lib
from ._check_rc import _c_str, _check_rc, _not_picklable, _raise_errno, _raise_last_error
from .zerocopy import TrackerEvent, init_zerocopy, is_python_memory

__all__ = ["Frame", "Message"]

#: drafts usable: this extension compiled them in and the linked libzmq has them
_DRAFT_ON = bool(lib.ZMQ_PY_HAVE_DRAFT) and bool(lib.zmq_has(b"draft"))


def _need_draft(feature: str) -> None:
    if not _DRAFT_ON:
        from zmq.backend._draft import missing

        raise missing(feature)


def _default_copy_threshold() -> int:
    """zmq.COPY_THRESHOLD, read at use time so programs can change it."""
    return int(getattr(sys.modules.get("zmq"), "COPY_THRESHOLD", 65536))


#: PyPy only: collect after Frames holding this much libzmq memory were made, since its
#: collector does not see that memory (see _own).
_COLLECT_EVERY = 128 << 20 if platform.python_implementation() == "PyPy" else 0
_unseen = 0
#: smaller contents are left to the collector: their Frames alone make it run often
_COUNT_FROM = 1 << 16


def _own(msg: Any, size: int) -> Any:
    """A malloc'd ``zmq_msg_t *`` (of ``size`` content bytes) that closes itself when
    collected.

    On PyPy, garbage Frames are freed only by a collection, which never notices the
    libzmq memory they hold: without help a program receiving big frames grows without
    bound. ffi.gc's ``size`` hint would cost a major collection every few big frames;
    a collection per 128 MiB of content that libzmq allocated bounds the memory for
    less. Content shared by a zero-copy send is Python memory, already counted.
    """
    global _unseen
    if msg == ffi.NULL:
        _raise_last_error()
    if _COLLECT_EVERY and size >= _COUNT_FROM:
        if not is_python_memory(int(ffi.cast("uintptr_t", lib.zmq_msg_data(msg)))):
            _unseen += size
            if _unseen >= _COLLECT_EVERY:
                _unseen = 0
                gc.collect()
    return ffi.gc(msg, _msg_free)


_msg_free = lib.zpy_msg_free


def _new_msg() -> Any:
    msg = lib.zpy_msg_new()
    if msg == ffi.NULL:
        raise MemoryError()
    return ffi.gc(msg, lib.zpy_msg_free)


class Frame:
    """Frame(data=None, track=False, copy=None, copy_threshold=None)

    A message frame. ``data`` is any object with a contiguous buffer (str is refused).
    ``copy=False`` shares the buffer's memory with libzmq (zero-copy); ``copy=None``
    copies only buffers smaller than ``copy_threshold``. With ``track=True``,
    ``tracker`` tells when libzmq is done with shared memory.

    ``memoryview(frame)`` needs Python 3.12 (``__buffer__``); ``frame.buffer`` works
    everywhere.
    """

    # Received frames set only the two slots; the rest are class defaults until set
    # (in the instance dict), so making a Frame costs two attribute stores.
    __slots__ = ("_msg", "more", "__dict__", "__weakref__")
    _bytes: Optional[builtins.bytes] = None
    _readonly: bool = False
    _buffer_ref: Optional[weakref.ref[memoryview]] = None
    tracker: Any = None
    tracker_event: Optional[TrackerEvent] = None

    def __init__(
        self,
        data: Any = None,
        track: bool = False,
        copy: Optional[bool] = None,
        copy_threshold: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        self.more = False
        if track:
            self.tracker = _FINISHED_TRACKER
        if data is None:
            self._msg = _new_msg()
            return
        if isinstance(data, str):
            raise TypeError("str objects not allowed, only bytes and buffers: encode first")
        if copy_threshold is None:
            copy_threshold = _default_copy_threshold()
        view = _buffer_of(data)
        size = len(view)
        if copy or (copy is None and size < copy_threshold):
            self._msg = _own(lib.zpy_msg_new_copy(view, size), size)
            return
        self._msg = _new_msg()
        item = init_zerocopy(self._msg, view, track)
        with memoryview(data) as checked:
            self._readonly = checked.readonly
        if track:
            self.tracker_event = TrackerEvent(item)
            self.tracker = MessageTracker(self.tracker_event)

    __reduce__ = _not_picklable

    def __copy__(self) -> Frame:
        return self.fast_copy()

    def fast_copy(self) -> Frame:
        """A new Frame sharing this one's data (libzmq reference counting, no copy)."""
        other = _empty_frame()
        _check_rc(lib.zmq_msg_copy(other._msg, self._msg))
        other.__dict__.update(self.__dict__)
        other.__dict__.pop("_buffer_ref", None)  # a view of this frame's message, not its own
        return other

    def __len__(self) -> int:
        return int(lib.zmq_msg_size(self._msg))

    @property
    def bytes(self) -> bytes:
        """The contents as bytes (copied once, then cached)."""
        if self._bytes is None:
            msg = self._msg
            data = ffi.cast("char *", lib.zmq_msg_data(msg))
            self._bytes = ffi.unpack(data, lib.zmq_msg_size(msg))
        return self._bytes

    def __bytes__(self) -> builtins.bytes:
        return self.bytes

    @property
    def buffer(self) -> memoryview:
        """A memoryview of the contents (no copy): the same one while it is referenced.
        It keeps the message alive."""
        # a weak reference: a strong one would be a cycle keeping zero-copy memory alive
        view = None if self._buffer_ref is None else self._buffer_ref()
        if view is None:
            view = self._new_view()
            self._buffer_ref = weakref.ref(view)
        return view

    def _new_view(self) -> memoryview:
        msg = self._msg
        # the destructor's default argument keeps the message alive as long as the view
        data = ffi.gc(ffi.cast("char *", lib.zmq_msg_data(msg)), lambda _p, _m=msg: None)
        view = memoryview(ffi.buffer(data, lib.zmq_msg_size(msg)))
        return view.toreadonly() if self._readonly else view

    def __buffer__(self, flags: int) -> memoryview:
        return self.buffer

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Frame):
            return self.bytes == other.bytes
        if isinstance(other, (bytes, bytearray, memoryview)):
            return self.bytes == other
        return NotImplemented

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        size = len(self)
        head = self.bytes[:32]
        return f"<{type(self).__name__}({head!r}{'...' if size > 32 else ''}, {size}B)>"

    def get(self, option: Union[int, str]) -> Union[int, str, None]:
        """A message property: an int option (zmq.MORE, zmq.SRCFD, zmq.SHARED),
        "routing_id", "group", or a metadata name (str, e.g. "Socket-Type", libzmq 4.1+)."""
        if isinstance(option, int):
            value = lib.zmq_msg_get(self._msg, option)
            _check_rc(value)
            return int(value)
        if option == "routing_id":
            return self.routing_id
        if option == "group":
            return self.group
        value = lib.zmq_msg_gets(self._msg, _c_str(option, "property name"))
        if value == ffi.NULL:
            _raise_last_error()
        return ffi.string(value).decode("utf-8", "replace")

    def __getitem__(self, key: Union[int, str]) -> Union[int, str, None]:
        return self.get(key)

    def set(self, option: Union[int, str], value: Any) -> None:
        """Set a message property: an int option, "routing_id" or "group"."""
        if option == "routing_id":
            self.routing_id = value
        elif option == "group":
            self.group = value
        else:
            if not isinstance(value, int):
                raise TypeError(f"expected int, got {value!r}")
            _check_rc(lib.zmq_msg_set(self._msg, option, value))

    @property
    def routing_id(self) -> Optional[int]:
        """The routing id (SERVER/CLIENT draft sockets), or None if unset."""
        _need_draft("Frame.routing_id (CLIENT-SERVER)")
        rid = lib.zmq_msg_routing_id(self._msg)
        return int(rid) if rid != 0 else None

    @routing_id.setter
    def routing_id(self, value: int) -> None:
        _need_draft("Frame.routing_id (CLIENT-SERVER)")
        _set_routing_id(self._msg, value)

    @property
    def group(self) -> str:
        """The group (RADIO/DISH draft sockets)."""
        _need_draft("Frame.group (RADIO-DISH)")
        group = lib.zmq_msg_group(self._msg)
        if group == ffi.NULL:
            _raise_last_error()
        return ffi.string(group).decode("utf-8")

    @group.setter
    def group(self, value: Union[str, builtins.bytes]) -> None:
        _need_draft("Frame.group (RADIO-DISH)")
        _set_group(self._msg, value)


Message = Frame


def _set_routing_id(msg: Any, value: int) -> None:
    if not isinstance(value, int):
        raise TypeError(f"expected int, got {value!r}")
    if not 0 <= value <= 0xFFFFFFFF:
        raise ValueError(f"routing_id must fit in 32 bits, got {value}")
    err = lib.zpy_msg_set_routing_id(msg, value)
    if err:
        _raise_errno(err)


def _set_group(msg: Any, value: Union[str, bytes]) -> None:
    err = lib.zpy_msg_set_group(msg, check_group(_c_str(value, "group")))
    if err:
        _raise_errno(err)


def _buffer_of(data: Any) -> Any:
    """``ffi.from_buffer(data)``: TypeError for non-buffers, BufferError (as pyzmq) for
    non-contiguous buffers (which PyPy's from_buffer would accept, reading the wrong bytes)."""
    if type(data) is not bytes:
        try:
            with memoryview(data) as checked:  # released at once (PyPy: not at collection)
                contiguous = checked.contiguous
        except TypeError:
            raise TypeError(
                f"{type(data).__name__} does not support the buffer interface: {data!r:.60}"
            ) from None
        if not contiguous:
            raise BufferError(f"{type(data).__name__} buffer is not contiguous")
    return ffi.from_buffer(data)


_frame_class: Optional[type[Frame]] = None


def _public_frame_class() -> type[Frame]:
    """zmq.Frame once the sugar is imported (received frames are of the public class)."""
    global _frame_class
    cls = getattr(sys.modules.get("zmq"), "Frame", None)
    if isinstance(cls, type) and issubclass(cls, Frame):
        _frame_class = cls
        return cls
    return Frame


_slots = vars(Frame)
_set_msg = _slots["_msg"].__set__
_set_more = _slots["more"].__set__


def _wrap_msg(msg: Any, more: bool) -> Frame:
    """A Frame (of the public class) owning ``msg`` (an ``ffi.gc``'d ``zmq_msg_t *``).

    Fills the slots directly: the sugar's attribute hooks are not needed here.
    """
    cls = _frame_class or _public_frame_class()
    frame = cls.__new__(cls)
    _set_msg(frame, msg)
    _set_more(frame, more)
    return frame


def _empty_frame() -> Frame:
    return _wrap_msg(_new_msg(), False)
