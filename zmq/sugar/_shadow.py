"""Shared by Context and Socket: shadow construction, copies as shadows, repr naming."""

from __future__ import annotations

import os
from types import GenericAlias
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Type, TypeVar

from . import _lifetime

_T = TypeVar("_T", bound="Shadowable")


class Shadowable:
    """Mixin for wrappers of a libzmq handle that can be "shadowed": a second Python
    object over the same handle, which does not own (close/terminate) it."""

    #: the name shown by repr for exactly this class (subclasses show their own)
    _repr_cls: ClassVar[Optional[str]] = None

    if TYPE_CHECKING:  # provided by the backend classes

        @property
        def underlying(self) -> int: ...

        @property
        def closed(self) -> bool: ...

    else:

        def __class_getitem__(cls, params):
            # Context and Socket are Generic; their subclasses that fixed the parameter
            # (zmq.asyncio.Socket, ...) accept one too, so run-time annotations such as
            # ``zmq.asyncio.Socket[Any]`` never fail.
            if not getattr(cls, "__parameters__", ()):
                return GenericAlias(cls, params)
            return super().__class_getitem__(params)

    _shadow: bool = False
    _shadow_obj: Any = None  # what a shadow wraps, kept alive
    _pid: int = 0  # the process that created the handle

    def _mark_owner(self, shadow: bool) -> None:
        """Record the creating process and whether this object is a shadow."""
        self._pid = os.getpid()
        try:
            self._shadow = shadow
        except AttributeError:
            pass  # the backend keeps its own read-only `_shadow`, already right

    def _needs_finalizing(self) -> bool:
        """True if a finalizer should release this handle: we own it, it is open, it
        was created in this process (never touch a parent's handle after fork) and
        interpreter exit has not begun (exit must never wait on libzmq)."""
        if self._shadow or _lifetime.exiting or self._pid != os.getpid():
            return False
        try:
            return not self.closed
        except Exception:  # a half-initialised object
            return False

    @classmethod
    def shadow(cls: Type[_T], address: Any) -> _T:
        """Wrap an existing libzmq handle without taking ownership of it.

        The shadow never closes (terminates) the handle; the owner must outlive it.

        .. versionadded:: 14.1

        Parameters
        ----------
        address : int or object of this kind
            The integer address of a libzmq ``void *`` socket (context), e.g. another
            object's ``underlying``, or that object itself (or a CFFI pointer).

        Returns
        -------
        The new wrapper (an instance of this class).
        """
        return cls(shadow=address)  # type: ignore[call-arg]

    def __copy__(self: _T, memo: Any = None) -> _T:
        """A copy is a shadow: a second Python object for the same libzmq handle."""
        return type(self).shadow(self.underlying)

    __deepcopy__ = __copy__

    def __enter__(self: _T) -> _T:
        return self

    def _repr_name(self) -> str:
        cls = type(self)
        return cls.__dict__.get("_repr_cls") or f"{cls.__module__}.{cls.__name__}"
