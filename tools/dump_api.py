"""Describe the public API of the importable ``zmq`` as JSON (names, kinds, signatures, values).

Run with any interpreter: it imports ``zmq`` from that interpreter. Used to record pyzmq's
API as facts (``tests/sugar/pyzmq_27_3_api.json``) and, in process, to describe ours for
``tests/sugar/test_api_compat.py``::

    cd /tmp && PYZMQ_VENV/bin/python REPO/tools/dump_api.py \
        -o REPO/tests/sugar/pyzmq_27_3_api.json

with real pyzmq 27.3.0 installed in PYZMQ_VENV (and nowhere we test), from outside the
source tree: there ``import zmq`` would find our ``zmq/`` instead.
"""

from __future__ import annotations

import argparse
import enum
import importlib
import inspect
import json
import pkgutil
import re
import sys
import typing
from types import ModuleType
from typing import Any, Dict, List, Optional

#: the modules whose public names make up the compatible API (every module of the package
#: that ``walk_modules`` finds, but those ``tests/sugar/test_api_compat.py`` says it skips)
MODULES: tuple[str, ...] = (
    "zmq",
    "zmq._future",
    "zmq.sugar",
    "zmq.sugar.context",
    "zmq.sugar.socket",
    "zmq.sugar.frame",
    "zmq.sugar.poll",
    "zmq.sugar.tracker",
    "zmq.sugar.version",
    "zmq.sugar.attrsettr",
    "zmq.sugar.stopwatch",
    "zmq.error",
    "zmq.constants",
    "zmq.backend",
    "zmq.backend.select",
    "zmq.backend.cython",
    "zmq.backend.cython._zmq",
    "zmq.utils",
    "zmq.utils.jsonapi",
    "zmq.utils.z85",
    "zmq.utils.monitor",
    "zmq.utils.strtypes",
    "zmq.utils.interop",
    "zmq.utils.win32",
    "zmq.utils.garbage",
    "zmq.decorators",
    "zmq.curve_keygen",
    "zmq.asyncio",
    "zmq.eventloop",
    "zmq.eventloop.future",
    "zmq.eventloop.ioloop",
    "zmq.eventloop.zmqstream",
    "zmq.devices",
    "zmq.devices.basedevice",
    "zmq.devices.monitoredqueue",
    "zmq.devices.monitoredqueuedevice",
    "zmq.devices.proxydevice",
    "zmq.devices.proxysteerabledevice",
    "zmq.auth",
    "zmq.auth.base",
    "zmq.auth.certs",
    "zmq.auth.thread",
    "zmq.auth.ioloop",
    "zmq.auth.asyncio",
    "zmq.log",
    "zmq.log.handlers",
    "zmq.log.__main__",
    "zmq.green",
    "zmq.green.core",
    "zmq.green.poll",
    "zmq.green.device",
    "zmq.green.eventloop",
    "zmq.green.eventloop.ioloop",
    "zmq.green.eventloop.zmqstream",
    "zmq.ssh",
    "zmq.ssh.tunnel",
    "zmq.ssh.forward",
    "zmq.tests",
)

#: special methods that are part of a class's behaviour (context managers, copying, ...)
PROTOCOL_DUNDERS: tuple[str, ...] = (
    "__enter__",
    "__exit__",
    "__del__",
    "__copy__",
    "__deepcopy__",
    "__len__",
    "__getitem__",
    "__contains__",
    "__iter__",
    "__bytes__",
    "__reduce__",
)

Description = Dict[str, Any]

#: the memory address in a default repr such as ``<object object at 0x7f...>``: it differs
#: between runs
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def describe_signature(obj: Any) -> Any:
    """``[[name, kind, default repr or None], ...]``, or ``"?"`` if not introspectable."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return "?"
    params: List[List[Optional[str]]] = []
    for p in sig.parameters.values():
        default = p.default
        if isinstance(default, int) and not isinstance(default, bool):
            default = int(default)  # flags: the value counts, not how a Python version shows it
        shown = None if default is p.empty else _ADDRESS.sub("", repr(default))
        params.append([p.name, p.kind.name, shown])
    return params


def _origin(obj: Any) -> Optional[str]:
    if isinstance(obj, ModuleType):
        return obj.__name__
    module = getattr(obj, "__module__", None)
    return module if isinstance(module, str) else None


def describe_member(cls: type, name: str) -> Description:
    """One attribute of a class, found without running descriptors, and the module of
    the class that defines it (``owner``: builtins for what the interpreter provides)."""
    owner = next((b for b in cls.__mro__ if name in vars(b)), None)
    description = _describe_member(cls, name)
    description["owner"] = owner.__module__ if owner is not None else None
    return description


def _describe_member(cls: type, name: str) -> Description:
    try:
        raw = inspect.getattr_static(cls, name)
    except AttributeError:
        return {"kind": "attribute", "type": "?"}
    if isinstance(raw, staticmethod):
        return {"kind": "staticmethod", "signature": describe_signature(raw.__func__)}
    if isinstance(raw, classmethod):
        return {"kind": "classmethod", "signature": describe_signature(getattr(cls, name))}
    if isinstance(raw, property):
        return {"kind": "property", "settable": raw.fset is not None}
    if inspect.isdatadescriptor(raw) or inspect.ismemberdescriptor(raw):
        # C-level properties and slots (Cython cdef attributes, getset descriptors)
        return {"kind": "property", "settable": hasattr(raw, "__set__")}
    if callable(raw) and not isinstance(raw, type):
        return {"kind": "method", "signature": describe_signature(getattr(cls, name))}
    return {"kind": "attribute", "type": type(raw).__name__}


def _defined_below_object(cls: type, name: str) -> bool:
    return any(name in vars(base) for base in cls.__mro__ if base is not object)


def describe_class(cls: type) -> Description:
    if issubclass(cls, enum.Enum):
        return {
            "kind": "enum",
            "origin": _origin(cls),
            "bases": [b.__name__ for b in cls.__mro__ if b.__module__ == "enum"],
            "members": {n: int(m.value) for n, m in cls.__members__.items()},
        }
    members = {}
    for name in dir(cls):
        if not name.startswith("_") or (
            name in PROTOCOL_DUNDERS and _defined_below_object(cls, name)
        ):
            members[name] = describe_member(cls, name)
    return {
        "kind": "class",
        "origin": _origin(cls),
        "mro": [b.__name__ for b in cls.__mro__],
        "signature": describe_signature(cls),
        "members": members,
    }


def describe(obj: Any) -> Description:
    """One module-level name."""
    origin_class = typing.get_origin(obj)
    if isinstance(origin_class, type) and _origin(origin_class) == _origin(obj):
        obj = origin_class  # a parametrized alias of a class (``SyncSocket = Socket[bytes]``)
    if isinstance(obj, ModuleType):
        return {"kind": "module", "origin": obj.__name__}
    if isinstance(obj, enum.Enum):
        return {"kind": "enum member", "enum": type(obj).__name__, "value": int(obj.value)}
    if isinstance(obj, type):
        return describe_class(obj)
    if isinstance(obj, bool):
        return {"kind": "bool"}
    if isinstance(obj, int):
        return {"kind": "int", "value": int(obj)}
    if callable(obj):
        return {"kind": "function", "origin": _origin(obj), "signature": describe_signature(obj)}
    return {"kind": type(obj).__name__, "origin": _origin(obj)}


def describe_module(module: ModuleType) -> Description:
    names = {n: describe(getattr(module, n)) for n in dir(module) if not n.startswith("_")}
    # public dunders every zmq-level module offers
    for dunder in ("__version__", "__revision__"):
        if hasattr(module, dunder):
            names[dunder] = describe(getattr(module, dunder))
    exported = getattr(module, "__all__", None)
    return {"all": sorted(exported) if exported is not None else None, "names": names}


def walk_modules() -> List[str]:
    """Every module of the importable ``zmq`` package (subpackages are imported to be
    walked; one that fails to import is listed all the same)."""
    import zmq

    failed: List[str] = []
    walked = [info.name for info in pkgutil.walk_packages(zmq.__path__, "zmq.", failed.append)]
    return sorted({"zmq", *walked, *failed})


def dump_api(modules: tuple[str, ...] = MODULES) -> Description:
    """The API of every module in ``modules`` (a module that fails to import is noted)."""
    import zmq

    result: Description = {
        "pyzmq_version": zmq.pyzmq_version(),
        "libzmq_version": zmq.zmq_version(),
        "python": sys.version.split()[0],
        "modules": {},
    }
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError as e:
            result["modules"][name] = {"import_error": str(e)}
            continue
        result["modules"][name] = describe_module(module)
    return result


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    args = parser.parse_args(argv)
    api = dump_api()
    # after the dump: walking imports every subpackage, which adds names to the modules
    api["walked"] = walk_modules()
    api["_generated"] = "by tools/dump_api.py; do not edit (regenerate it instead)"
    # "_generated" sorts first: put it on the first line, as generated files say so there
    # indent=0: one value per line (diffable) without nesting spaces (the record of every
    # module stays under 1 MiB)
    text = json.dumps(api, indent=0, sort_keys=True).replace("{\n", "{", 1) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
