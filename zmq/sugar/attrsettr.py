"""Options as attributes: ``sock.linger = 0``, ``ctx.io_threads``, ``frame.more``.

One mixin for Context, Socket and Frame. Lower- or upper-case option names map to the
members of the class's option enums (``_option_enums``); names that the class itself
defines, names starting with ``_`` and names already in the instance ``__dict__`` are
ordinary attributes.
"""

from __future__ import annotations

import errno
from enum import IntEnum
from typing import Any, ClassVar, Tuple, Type

__all__ = ["AttributeSetter", "OptValT"]

OptValT = Any  # option values are int, bytes or str depending on the option

_plain_names: dict[Type[Any], set[str]] = {}


def _class_names(cls: Type[Any]) -> set[str]:
    """Every name defined or annotated on ``cls`` or its bases (cached per class)."""
    names = _plain_names.get(cls)
    if names is None:
        names = set()
        for base in cls.__mro__:
            names.update(vars(base))
            names.update(vars(base).get("__annotations__", {}))
        _plain_names[cls] = names
    return names


class AttributeSetter:
    """Mixin mapping attribute access to ``self.get``/``self.set`` of an option."""

    #: enums whose member names are this class's options, searched in order
    _option_enums: ClassVar[Tuple[Type[IntEnum], ...]] = ()

    def _option_for(self, name: str) -> tuple[str, int]:
        upper = name.upper()
        for enum in self._option_enums:
            member = enum.__members__.get(upper)
            if member is not None:
                return upper, int(member)
        raise AttributeError(f"{type(self).__name__} has no attribute or option {name!r}")

    def _is_plain(self, key: str) -> bool:
        return key.startswith("_") or key in self.__dict__ or key in _class_names(type(self))

    def __setattr__(self, key: str, value: Any) -> None:
        if self._is_plain(key):
            object.__setattr__(self, key, value)
            return
        name, option = self._option_for(key)
        self._set_attr_opt(name, option, value)

    def __getattr__(self, key: str) -> Any:
        # only called when normal lookup failed
        if key.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {key!r}")
        name, option = self._option_for(key)
        from zmq.error import ZMQError

        try:
            return self._get_attr_opt(name, option)
        except ZMQError as e:
            # libzmq refuses to read write-only options (e.g. SUBSCRIBE) with EINVAL
            if e.errno == errno.EINVAL:
                raise AttributeError(f"{key} is write-only") from e
            raise

    def __dir__(self) -> list[str]:
        names = set(super().__dir__())
        for enum in self._option_enums:
            names.update(name.lower() for name in enum.__members__)
        return sorted(names)

    def _set_attr_opt(self, name: str, option: int, value: Any) -> None:
        """Set an option given as an attribute; subclasses may redirect it."""
        self.set(option, value)

    def _get_attr_opt(self, name: str, option: int) -> Any:
        """Get an option read as an attribute; subclasses may redirect it."""
        return self.get(option)
