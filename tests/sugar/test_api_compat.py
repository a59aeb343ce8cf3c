"""Our public API is a superset of pyzmq 27.3's: names, signatures and enum values.

``pyzmq_27_3_api.json`` holds facts recorded from real pyzmq 27.3.0 by
``tools/dump_api.py``; the same dump of our ``zmq`` is taken in process and compared.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import sys
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import zmq

HERE = Path(__file__).resolve().parent
PYZMQ_API = json.loads((HERE / "pyzmq_27_3_api.json").read_text(encoding="utf-8"))


def _load_dump_tool() -> Any:
    path = HERE.parents[1] / "tools" / "dump_api.py"
    spec = importlib.util.spec_from_file_location("_dump_api", path)
    assert spec is not None and spec.loader is not None, f"missing {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dump_tool = _load_dump_tool()

#: pyzmq's public names ("module:name" or "module:Class.member") that we do not offer, and why.
ALLOWED_MISSING: Dict[str, str] = {
    "zmq.backend:first": "a loop variable of pyzmq's backend selection left in the module",
    "zmq.backend:second": "a loop variable of pyzmq's backend selection left in the module",
    "zmq.error:EINTR": "errno.EINTR as imported by pyzmq's module (zmq.EINTR is the constant)",
    # zmq.utils.garbage: pyzmq's collector is a thread draining an inproc socket; ours
    # needs neither (the module docstring says why), so their names have no meaning here
    "zmq.utils.garbage:GarbageCollectorThread": "the thread of pyzmq's collector",
    "zmq.utils.garbage:GarbageCollector.url": "the inproc address of pyzmq's collector socket",
}
if zmq.backend.__impl__ != "cython":
    ALLOWED_MISSING["zmq.backend:cython"] = (
        "pyzmq imports its Cython backend even when another one is selected; "
        "we import only the selected backend"
    )

#: Plain values that pyzmq's modules import rather than define (the dump cannot tell
#: them from constants by their origin).
IMPORTED_VALUES = frozenset({"TYPE_CHECKING"})

_VALUE_KINDS = ("int", "bool", "enum member", "str", "tuple", "list")


def _is_api(module: str, name: str, desc: Dict[str, Any], exported: Optional[List[str]]) -> bool:
    """pyzmq's modules also show what they import (``os``, ``Any``, ``warn``, other zmq
    modules' classes): those are not API. A name is API if the module exports it in
    ``__all__``, defines it (in itself or a submodule), or it is a plain value."""
    if exported is not None and name in exported:
        return True
    origin = desc.get("origin")
    if desc["kind"] == "TypeVar":
        return False  # a typing helper
    if origin is None:
        return desc["kind"] in _VALUE_KINDS and name not in IMPORTED_VALUES
    if desc["kind"] == "module":
        return origin == f"{module}.{name}"
    return origin == module or origin.startswith(f"{module}.")


@pytest.fixture(scope="module")
def ours() -> Dict[str, Any]:
    with warnings.catch_warnings():
        # importing zmq.utils.strtypes warns (as pyzmq's does); tested in test_utils
        warnings.simplefilter("ignore", DeprecationWarning)
        return dump_tool.dump_api()


def _allowed(key: str) -> bool:
    return key in ALLOWED_MISSING


def _signature_problems(theirs: Any, mine: Any, dunder: bool = False) -> List[str]:
    """Every parameter of pyzmq's signature must be accepted by ours the same way.

    Special methods (``dunder``) are called by syntax, with positional arguments: there a
    positional-only parameter (as compiled classes have) equals a positional-or-keyword one.
    """
    if theirs == "?" or mine == "?":
        return []
    if dunder:
        theirs, mine = (
            [[n, "POSITIONAL_OR_KEYWORD" if k == "POSITIONAL_ONLY" else k, d] for n, k, d in sig]
            for sig in (theirs, mine)
        )
    problems = []
    mine_by_name = {p[0]: p for p in mine}
    mine_positional = [p[0] for p in mine if p[1] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    their_positional = [
        p[0] for p in theirs if p[1] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")
    ]
    for index, (name, kind, default) in enumerate(theirs):
        if kind in ("VAR_POSITIONAL", "VAR_KEYWORD"):
            if not any(p[1] == kind for p in mine):
                problems.append(f"no {kind} (*{name})")
            continue
        if index == 0 and name in ("self", "cls"):
            continue
        p = mine_by_name.get(name)
        if p is None:
            problems.append(f"no parameter {name!r}")
            continue
        if p[1] != kind:
            problems.append(f"{name!r} is {p[1]}, pyzmq: {kind}")
        if default is not None and p[2] != default:
            # (a default where pyzmq requires the argument accepts strictly more)
            problems.append(f"{name!r} default {p[2]}, pyzmq: {default}")
        if kind != "KEYWORD_ONLY" and name in their_positional:
            pos = their_positional.index(name)
            if pos >= len(mine_positional) or mine_positional[pos] != name:
                problems.append(f"{name!r} not at position {pos}")
    their_names = {p[0] for p in theirs}
    for name, kind, default in mine:
        if name in their_names or kind in ("VAR_POSITIONAL", "VAR_KEYWORD"):
            continue
        if default is None and not (mine and mine[0][0] == name and name in ("self", "cls")):
            problems.append(f"extra required parameter {name!r}")
    return problems


_CALLABLE_KINDS = ("method", "classmethod", "staticmethod")


def _from_zmq(origin: Optional[str]) -> bool:
    return origin is not None and (origin == "zmq" or origin.startswith("zmq."))


def _member_problems(key: str, theirs: Dict[str, Any], mine: Dict[str, Any]) -> List[str]:
    problems = []
    for name, their_member in theirs["members"].items():
        if not _from_zmq(their_member.get("owner")):
            continue  # inherited from the interpreter (e.g. BaseException.add_note)
        mkey = f"{key}.{name}"
        my_member = mine["members"].get(name)
        if my_member is None:
            if not _allowed(mkey):
                problems.append(f"{mkey}: missing")
            continue
        their_kind, my_kind = their_member["kind"], my_member["kind"]
        data_kinds = ("property", "attribute")
        if their_kind in data_kinds and my_kind in data_kinds:
            continue
        if their_kind != my_kind:
            problems.append(f"{mkey}: {my_kind}, pyzmq: {their_kind}")
        elif their_kind in _CALLABLE_KINDS:
            problems += [
                f"{mkey}: {p}"
                for p in _signature_problems(
                    their_member["signature"], my_member["signature"], name.startswith("__")
                )
            ]
    return problems


def _compare(key: str, theirs: Dict[str, Any], mine: Dict[str, Any]) -> List[str]:
    """Problems with one module-level name that both sides have."""
    their_kind, my_kind = theirs["kind"], mine["kind"]
    if their_kind in ("enum", "class") and not _from_zmq(theirs.get("origin")):
        # the interpreter's own class re-exported (enum.IntEnum, strtypes.bytes): its
        # members are the interpreter's business
        return [] if my_kind == their_kind else [f"{key}: {my_kind}, pyzmq: {their_kind}"]
    if their_kind == "enum":
        if my_kind != "enum":
            return [f"{key}: {my_kind}, pyzmq: enum"]
        # (other bases, e.g. ReprEnum, depend on the Python version)
        kinds = [{"IntEnum", "IntFlag"} & set(desc["bases"]) for desc in (theirs, mine)]
        problems = [] if kinds[0] == kinds[1] else [f"{key}: enum type differs"]
        for member, value in theirs["members"].items():
            if member not in mine["members"]:
                if not _allowed(f"{key}.{member}"):
                    problems.append(f"{key}.{member}: missing")
            elif mine["members"][member] != value:
                problems.append(f"{key}.{member} = {mine['members'][member]}, pyzmq: {value}")
        return problems
    if their_kind in ("int", "enum member"):
        if my_kind not in ("int", "enum member"):
            return [f"{key}: {my_kind}, pyzmq: {their_kind}"]
        if theirs["value"] != mine["value"]:
            return [f"{key} = {mine['value']}, pyzmq: {theirs['value']}"]
        return []
    if their_kind == "class":
        if my_kind != "class":
            return [f"{key}: {my_kind}, pyzmq: class"]
        problems = [
            f"{key}(): {p}" for p in _signature_problems(theirs["signature"], mine["signature"])
        ]
        return problems + _member_problems(key, theirs, mine)
    if their_kind == "function":
        if my_kind not in ("function", "class"):
            return [f"{key}: {my_kind}, pyzmq: function"]
        return [f"{key}: {p}" for p in _signature_problems(theirs["signature"], mine["signature"])]
    if their_kind == "module" and my_kind != "module":
        return [f"{key}: {my_kind}, pyzmq: module"]
    return []


MODULE_NAMES = sorted(PYZMQ_API["modules"])

#: zmq.green needs gevent, an optional dependency without a wheel for some interpreters
GEVENT_MISSING = importlib.util.find_spec("gevent") is None


#: pyzmq's modules (as found by walking its package) whose API is not recorded, and why
NOT_RECORDED: Dict[str, str] = {
    "zmq._typing": "private typing helpers (pyzmq's TypeAlias fallback)",
    "zmq.backend.cffi": "pyzmq's wheel has no CFFI backend built, so it cannot be recorded",
    "zmq.eventloop._deprecated": "private, and fails to import in pyzmq 27.3 itself",
}

#: zmq.backend.cython needs the compiled Cython backend, which PyPy does not build (looked
#: up without importing it: importing would set zmq.backend.cython)
CYTHON_MISSING = not any(
    (Path(zmq.backend.__file__).parent / "cython" / f"_zmq{suffix}").exists()
    for suffix in importlib.machinery.EXTENSION_SUFFIXES
)


def test_recorded_from_pyzmq_27_3():
    assert PYZMQ_API["pyzmq_version"] == "27.3.0"
    assert MODULE_NAMES == sorted(dump_tool.MODULES)
    for module, api in PYZMQ_API["modules"].items():
        assert "import_error" not in api, module


def test_every_pyzmq_module_is_compared() -> None:
    walked = set(PYZMQ_API["walked"])
    assert walked - set(MODULE_NAMES) == set(NOT_RECORDED)
    assert set(MODULE_NAMES) <= walked


@pytest.mark.parametrize("module", MODULE_NAMES)
def test_module_api_is_a_superset(module: str, ours: Dict[str, Any]) -> None:
    if GEVENT_MISSING and (module == "zmq.green" or module.startswith("zmq.green.")):
        pytest.skip("zmq.green needs gevent, which is not installed (no wheel here)")
    if CYTHON_MISSING and module.startswith("zmq.backend.cython"):
        pytest.skip("the Cython backend is not built on this interpreter (PyPy)")
    theirs = PYZMQ_API["modules"][module]
    mine = ours["modules"][module]
    assert "import_error" not in mine, mine.get("import_error")
    problems = []
    for name, desc in theirs["names"].items():
        if not _is_api(module, name, desc, theirs["all"]):
            continue
        key = f"{module}:{name}"
        if name not in mine["names"]:
            if not _allowed(key):
                problems.append(f"{key}: missing")
            continue
        problems += _compare(key, desc, mine["names"][name])
    if theirs["all"] is not None:
        my_all = set(mine["all"] or ())
        problems += [
            f"{module}.__all__ lacks {name}"
            for name in theirs["all"]
            if name not in my_all and not _allowed(f"{module}:{name}")
        ]
    assert problems == []


def test_allow_list_is_needed(ours: Dict[str, Any]) -> None:
    """Every allowed gap is still a gap: fixed ones must leave the list."""
    stale = []
    for key in ALLOWED_MISSING:
        module, _, dotted = key.partition(":")
        name, _, member = dotted.partition(".")
        # (a module that does not import here, e.g. the Cython backend's on PyPy, has none)
        mine = ours["modules"][module].get("names", {}).get(name)
        if mine is None or (dotted == "cython" and "zmq.backend.cython" in sys.modules):
            # (importing zmq.backend.cython, as dumping it does, sets the attribute)
            continue
        if member and member not in mine.get("members", {}):
            continue
        if not member and mine.get("value") != PYZMQ_API["modules"][module]["names"][name].get(
            "value"
        ):
            continue
        stale.append(key)
    assert stale == []


def test_signature_comparison_catches_incompatibilities() -> None:
    def sig(*params: str) -> List[List[Optional[str]]]:
        out: List[List[Optional[str]]] = []
        for p in params:
            name, _, default = p.partition("=")
            kind = "KEYWORD_ONLY" if name.startswith("*") else "POSITIONAL_OR_KEYWORD"
            out.append([name.lstrip("*"), kind, default or None])
        return out

    pyzmq = sig("self", "addr", "flags=0")
    assert _signature_problems(pyzmq, sig("self", "addr", "flags=0", "*extra=None")) == []
    assert _signature_problems(sig("self", "a"), sig("self", "a=1")) == []  # accepts more
    assert _signature_problems(pyzmq, sig("self", "url", "flags=0"))  # renamed
    assert _signature_problems(pyzmq, sig("self", "addr", "flags=1"))  # other default
    assert _signature_problems(pyzmq, sig("self", "flags=0", "addr=None"))  # other order
    assert _signature_problems(pyzmq, sig("self", "addr", "*flags=0"))  # keyword-only
    assert _signature_problems(pyzmq, sig("self", "addr", "flags=0", "more"))  # required extra
