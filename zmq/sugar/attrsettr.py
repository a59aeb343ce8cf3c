"""Options as attributes: ``sock.linger = 0``, ``ctx.io_threads``, ``frame.shared``.

One mixin for Context, Socket and Frame. Each class names its option enums in
``_option_enums``; every member becomes a property, in lower case and in upper case
(``sock.linger``, ``sock.LINGER``), unless the class already defines that name.

Properties rather than ``__getattr__``: a Python-level ``__getattr__`` slows down every
attribute lookup on the class, including ``sock.send`` on the hot path. Type checkers
see a typed ``__getattr__`` instead, since the properties are made at run time.
Assigning an unknown attribute raises AttributeError, as reading one does.
"""

from __future__ import annotations

import errno
from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar, Tuple, Type, Union

__all__ = ["AttributeSetter", "OptValT"]

#: option values are int, bytes or str depending on the option
OptValT = Union[str, bytes, int]

_annotations_cache: dict[Type[Any], frozenset[str]] = {}


def _annotated_names(cls: Type[Any]) -> frozenset[str]:
    """Names annotated (declared without a class value) on ``cls`` or its bases."""
    names = _annotations_cache.get(cls)
    if names is None:
        found: set[str] = set()
        for base in cls.__mro__:
            found.update(vars(base).get("__annotations__", {}))
        names = _annotations_cache[cls] = frozenset(found)
    return names


def _is_class_attribute(cls: Type[Any], name: str) -> bool:
    return hasattr(cls, name) or name in _annotated_names(cls)


def _option_property(name: str, option: int) -> property:
    def get(self: AttributeSetter) -> Any:
        from zmq.error import ZMQError

        try:
            return self._get_attr_opt(name, option)
        except ZMQError as e:
            # libzmq refuses to read write-only options (e.g. CONNECT_ROUTING_ID)
            if e.errno == errno.EINVAL:
                raise AttributeError(f"{name.lower()} is write-only") from e
            raise

    def set(self: AttributeSetter, value: Any) -> None:
        self._set_attr_opt(name, option, value)

    def delete(self: AttributeSetter) -> None:
        self._del_attr_opt(name, option)

    return property(get, set, delete, f"The {name} option (get/set as an attribute).")


class AttributeSetter:
    """Mixin giving a class its options (``_option_enums``) as attributes."""

    #: enums whose member names are this class's options; earlier enums win a name clash
    _option_enums: ClassVar[Tuple[Type[IntEnum], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_option_enums" not in vars(cls):
            return  # inherits its parent's option properties
        for enum in cls._option_enums:
            for name, member in enum.__members__.items():
                for attr in (name.lower(), name):
                    if not _is_class_attribute(cls, attr):
                        setattr(cls, attr, _option_property(name, int(member)))

    if TYPE_CHECKING:
        # the generated option properties, as type checkers see them
        def __getattr__(self, key: str) -> OptValT: ...

    def __setattr__(self, key: str, value: Any) -> None:
        if key.startswith("_") or key in self.__dict__ or _is_class_attribute(type(self), key):
            object.__setattr__(self, key, value)
            return
        raise AttributeError(f"{type(self).__name__} has no attribute or option {key!r}")

    # What the options are read and written with: the backend classes provide them.
    def get(self, option: int) -> Any:
        raise NotImplementedError

    def set(self, option: int, value: Any) -> None:
        raise NotImplementedError

    def _set_attr_opt(self, name: str, option: int, value: Any) -> None:
        """Set an option assigned as an attribute; subclasses may redirect it."""
        self.set(option, value)

    def _get_attr_opt(self, name: str, option: int) -> Any:
        """Get an option read as an attribute; subclasses may redirect it."""
        return self.get(option)

    def _del_attr_opt(self, name: str, option: int) -> None:
        """``del obj.option``: only meaningful where options have defaults (Context)."""
        raise AttributeError(f"cannot delete option {name.lower()}")
