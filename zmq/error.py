"""Exceptions raised by zmq (pyzmq-compatible hierarchy).

A leaf module: it imports the backend only lazily, inside functions, so the backends
can import it while they are being imported.
"""

from __future__ import annotations

import errno as _errno
from typing import Any, NoReturn

#: ``ETERM`` is libzmq's own errno (``ZMQ_HAUSNUMERO + 53``), the same on every platform.
_ETERM = 156384712 + 53

__all__ = [
    "ZMQBaseError",
    "ZMQError",
    "ZMQBindError",
    "NotDone",
    "ContextTerminated",
    "Again",
    "InterruptedSystemCall",
    "ZMQVersionError",
    "DraftFDWarning",
]


class ZMQBaseError(Exception):
    """Base class for every zmq exception."""


class ZMQError(ZMQBaseError):
    """A libzmq call failed.

    The backend raises the subclass that fits the errno (:class:`Again` for EAGAIN,
    :class:`ContextTerminated` for ETERM, :class:`InterruptedSystemCall` for EINTR);
    catch ``zmq.ZMQError`` for all of them and compare ``e.errno`` with ``zmq.EAGAIN``,
    ``zmq.ENOTSUP``, ... The constructor itself never changes the class.

    Parameters
    ----------
    errno : int, optional
        The error number; by default the current ``zmq_errno()``.
    msg : str, optional
        The message; by default libzmq's description of ``errno``
        (:func:`zmq.strerror`).

    Attributes
    ----------
    errno : int or None
        The error number.
    strerror : str
        The message, also what ``str(e)`` gives.
    """

    errno: int | None = None
    strerror: str

    def __init__(self, errno: int | str | None = None, msg: str | None = None) -> None:
        if errno is None:
            from zmq.backend import zmq_errno

            errno = zmq_errno()
        if isinstance(errno, int):
            self.errno = errno
            if msg is None:
                from zmq.backend import strerror

                msg = strerror(errno)
            self.strerror = msg
        else:
            # a message passed positionally, e.g. ZMQError("something broke")
            self.strerror = str(errno) if msg is None else msg
        # self.args stays the constructor's arguments, so pickling round-trips

    def __str__(self) -> str:
        return self.strerror

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class ZMQBindError(ZMQBaseError):
    """``bind_to_random_port`` found no free port."""


class NotDone(ZMQBaseError):
    """A :class:`~zmq.MessageTracker` wait timed out."""


class _FixedErrno(ZMQError):
    """A ZMQError whose errno is fixed by the class; constructor arguments are ignored."""

    _errno: int = 0

    def __init__(self, errno: Any = "ignored", msg: Any = "ignored") -> None:
        super().__init__(self._errno)


class ContextTerminated(_FixedErrno):
    """The context was terminated (ETERM) while the socket was in use.

    Blocking calls in other threads fail with it when :meth:`Context.term` starts, so
    that those threads close their sockets and let ``term()`` finish.

    Parameters
    ----------
    errno, msg
        Ignored: the errno is always ETERM.
    """

    _errno = _ETERM


class Again(_FixedErrno):
    """The operation would block (EAGAIN).

    Raised by ``NOBLOCK`` sends and receives that cannot proceed now, and when a
    RCVTIMEO/SNDTIMEO timeout expires.

    Parameters
    ----------
    errno, msg
        Ignored: the errno is always EAGAIN.
    """

    _errno = _errno.EAGAIN


class InterruptedSystemCall(_FixedErrno, InterruptedError):  # type: ignore[misc]
    """A libzmq call was interrupted by a signal (EINTR) and not retried.

    Interrupted calls are normally retried after Python's signal handlers ran (PEP 475),
    and a handler that raises (e.g. KeyboardInterrupt) stops the call; this is also an
    :class:`InterruptedError`.

    Parameters
    ----------
    errno, msg
        Ignored: the errno is always EINTR.
    """

    _errno = _errno.EINTR

    def __str__(self) -> str:
        return f"{super().__str__()}: this call should have been retried; please report it"


class ZMQVersionError(NotImplementedError):
    """A feature needs a newer libzmq than the one loaded.

    Also a :class:`NotImplementedError`.

    Parameters
    ----------
    min_version : str
        The libzmq version the feature needs, e.g. ``"4.2"``.
    msg : str, optional
        The feature's name, used in the message.
    """

    min_version: str | None = None

    def __init__(self, min_version: str, msg: str = "Feature") -> None:
        from zmq.backend import zmq_version_info

        self.msg = msg
        self.min_version = min_version
        self.version = ".".join(map(str, zmq_version_info()))

    def __str__(self) -> str:
        return f"{self.msg} requires libzmq >= {self.min_version}, have {self.version}"

    def __repr__(self) -> str:
        return f"ZMQVersionError({str(self)!r})"


class DraftFDWarning(RuntimeWarning):
    """Reading ``FD`` of a thread-safe (draft) socket, which libzmq does not support.

    .. versionadded:: 27

    Parameters
    ----------
    msg : str, optional
        The warning text (a default explains the problem).
    """

    def __init__(self, msg: str = "") -> None:
        default = (
            "socket.FD on thread-safe (draft) sockets is experimental; "
            "filter zmq.error.DraftFDWarning to silence this warning"
        )
        super().__init__(msg or default)


_ERRNO_CLASSES: dict[int, type[ZMQError]] = {
    _errno.EAGAIN: Again,
    _ETERM: ContextTerminated,
    _errno.EINTR: InterruptedSystemCall,
}


def _raise_errno(errno: int) -> NoReturn:
    """Raise the ZMQError subclass that matches ``errno``."""
    raise _ERRNO_CLASSES.get(errno, ZMQError)(errno)


def _check_rc(rc: int, errno: int | None = None, error_without_errno: bool = True) -> None:
    """Raise the matching ZMQError if ``rc`` is -1 (the libzmq failure convention).

    ``errno`` defaults to ``zmq_errno()``; with ``error_without_errno=False`` an rc of
    -1 with errno 0 is a legitimate value (e.g. an option whose value is -1).
    """
    if rc != -1:
        return
    if errno is None:
        from zmq.backend import zmq_errno

        errno = zmq_errno()
    if errno == 0 and not error_without_errno:
        return
    _raise_errno(errno)


def _check_version(min_version_info: tuple[int, ...], msg: str = "Feature") -> None:
    """Raise ZMQVersionError if the loaded libzmq is older than ``min_version_info``."""
    from zmq.backend import zmq_version_info

    if zmq_version_info() < tuple(min_version_info):
        raise ZMQVersionError(".".join(map(str, min_version_info)), msg)
