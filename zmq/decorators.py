"""Decorators that hand a function a fresh Context or Socket and close it afterwards.

::

    @zmq.decorators.context()
    @zmq.decorators.socket(zmq.PUSH)
    def work(ctx, push):
        ...

Each decorator opens its object when the function is called, passes it as the next
positional argument (or as the keyword given by a leading name argument:
``@socket("push", zmq.PUSH)`` / ``name="push"``), and closes it when the function
returns. ``socket`` uses the context passed to the function (the ``context_name``
keyword, default ``"context"``, or the first Context among the arguments), else
``Context.instance()``.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, Optional, Tuple, TypeVar

import zmq

__all__ = ["context", "socket"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _split_name(
    args: Tuple[Any, ...], kwargs: dict[str, Any]
) -> Tuple[Optional[str], Tuple[Any, ...]]:
    """The keyword name the object is passed under (None: positional), and the rest."""
    name = kwargs.pop("name", None)
    if name is None and args and isinstance(args[0], str):
        name, args = args[0], args[1:]
    return name, args


def _inject(
    make: Callable[[Tuple[Any, ...], dict[str, Any]], Any], name: Optional[str]
) -> Callable[[_F], _F]:
    def decorator(func: _F) -> _F:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if name is not None and name in kwargs:
                raise TypeError(f"{func.__name__}() got multiple values for argument {name!r}")
            with make(args, kwargs) as obj:
                if name is None:
                    args = (*args, obj)
                else:
                    kwargs[name] = obj
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def context(*args: Any, **kwargs: Any) -> Callable[[_F], _F]:
    """Decorator: call the function with a new :class:`zmq.Context` (arguments go to
    its constructor), destroyed when the function returns."""
    name, args = _split_name(args, kwargs)
    return _inject(lambda _a, _k: zmq.Context(*args, **kwargs), name)


def socket(*args: Any, **kwargs: Any) -> Callable[[_F], _F]:
    """Decorator: call the function with a new socket (arguments go to
    ``ctx.socket``), closed when the function returns."""
    name, args = _split_name(args, kwargs)
    context_name = kwargs.pop("context_name", "context")

    def make(call_args: Tuple[Any, ...], call_kwargs: dict[str, Any]) -> Any:
        ctx = call_kwargs.get(context_name)
        if not isinstance(ctx, zmq.Context):
            ctx = next((a for a in call_args if isinstance(a, zmq.Context)), None)
        if ctx is None:
            ctx = zmq.Context.instance()
        return ctx.socket(*args, **kwargs)

    return _inject(make, name)
