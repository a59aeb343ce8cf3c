"""The public API is documented: every public class, function, method and property has a
docstring, and every one taking parameters documents them in a numpydoc ``Parameters``
section, on whichever backend is running (the backends' own functions get theirs from
zmq/sugar/_backend_docs.py)."""

from __future__ import annotations

import importlib
import inspect
import pydoc
import typing
from typing import Any, Iterator

import pytest

import zmq

MODULES = [
    "zmq",
    "zmq.asyncio",
    "zmq.error",
    "zmq.devices",
    "zmq.auth",
    "zmq.auth.thread",
    "zmq.auth.asyncio",
    "zmq.auth.certs",
    "zmq.utils.jsonapi",
    "zmq.utils.z85",
    "zmq.utils.monitor",
    "zmq.green",
]

PARAMETERS = "Parameters\n----------"


def public_modules() -> Iterator[Any]:
    for name in MODULES:
        if name == "zmq.green":
            try:
                import gevent  # noqa: F401
            except ImportError:  # no gevent on PyPy: zmq.green is not importable there
                continue
        yield importlib.import_module(name)


def is_ours(obj: Any) -> bool:
    return (getattr(obj, "__module__", None) or "").startswith("zmq")


def is_option_property(obj: Any) -> bool:
    # the generated option attributes (sock.linger, ...): documented by the option enums
    return isinstance(obj, property) and "option (get/set as an attribute)" in (obj.__doc__ or "")


def parameters(obj: Any) -> list[str]:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [p for p in sig.parameters if p not in ("self", "cls")]


def init_owner(cls: type) -> type:
    """The class whose ``__init__`` (and so whose parameter documentation) ``cls`` uses."""
    for klass in cls.__mro__:
        if "__init__" in vars(klass) and is_ours(klass):
            return klass
    return cls


def api() -> Iterator[tuple[str, Any, list[str]]]:
    """(qualified name, object, parameter names) of every public callable and property."""
    seen: set[int] = set()
    for module in public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.ismodule(obj) or not (inspect.isclass(obj) or callable(obj)):
                continue
            if typing.get_origin(obj) is not None:
                continue  # SyncSocket = Socket[bytes]: documented as Socket
            if not is_ours(obj) or (inspect.isclass(obj) and issubclass(obj, int)):
                continue  # not ours, or the constants' enums
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            qualname = f"{module.__name__}.{name}"
            if not inspect.isclass(obj):
                yield qualname, obj, parameters(obj)
                continue
            owner = init_owner(obj)
            # documented on the class, or on its __init__, or where __init__ comes from
            doc_of_init = "\n".join(
                inspect.getdoc(x) or "" for x in (obj, owner, vars(owner).get("__init__"))
            )
            yield qualname, obj, parameters(obj) if PARAMETERS not in doc_of_init else []
            for attr in dir(obj):
                if attr.startswith("_"):
                    continue
                static = inspect.getattr_static(obj, attr)
                if is_option_property(static):
                    continue
                member = static if isinstance(static, property) else getattr(obj, attr)
                if not callable(member) and not isinstance(member, property):
                    continue
                owner_cls = next((k for k in obj.__mro__ if attr in vars(k)), obj)
                if not is_ours(owner_cls) or id(member) in seen:
                    continue
                seen.add(id(member))
                params = [] if isinstance(member, property) else parameters(member)
                yield f"{qualname}.{attr}", member, params


def test_the_walk_covers_the_api():
    names = {name for name, _, _ in api()}
    for expected in [
        "zmq.Socket.send",
        "zmq.Socket.recv_multipart",
        "zmq.Socket.recv_pyobj",
        "zmq.Context.socket",
        "zmq.Frame.get",
        "zmq.MessageTracker.wait",
        "zmq.Poller.poll",
        "zmq.select",
        "zmq.has",
        "zmq.zmq_version",
        "zmq.ZMQError",
        "zmq.asyncio.Socket.recv",
        "zmq.devices.ThreadDevice",
        "zmq.auth.thread.ThreadAuthenticator",
        "zmq.utils.z85.encode",
        "zmq.utils.monitor.recv_monitor_message",
    ]:
        assert expected in names
    assert len(names) > 150


def test_every_public_callable_has_a_docstring():
    missing = [name for name, obj, _ in api() if not inspect.getdoc(obj)]
    assert missing == []


def test_parameters_are_documented():
    undocumented = [
        f"{name}({', '.join(params)})"
        for name, obj, params in api()
        if params and PARAMETERS not in (inspect.getdoc(obj) or "")
    ]
    assert undocumented == []


def test_help_shows_the_documentation():
    # the backend's own function, documented through the sugar, on either backend
    text = pydoc.plain(pydoc.render_doc(zmq.Socket.send))
    assert "Send one message frame." in text
    assert "track : bool, optional" in text
    assert "MessageTracker" in text
    text = pydoc.plain(pydoc.render_doc(zmq.Socket.recv_pyobj))
    assert "arbitrary" in text and "trust" in text  # the unpickling warning


@pytest.mark.parametrize(
    "func, raised",
    [
        (zmq.Socket.send, "zmq.Again"),
        (zmq.Socket.recv, "zmq.Again"),
        (zmq.Socket.bind, "EADDRINUSE"),
        (zmq.Context.socket, "zmq.ZMQError"),
        (zmq.MessageTracker.wait, "zmq.NotDone"),
    ],
)
def test_raises_are_documented(func, raised):
    doc = inspect.getdoc(func) or ""
    assert "Raises\n------" in doc and raised in doc
