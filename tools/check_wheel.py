"""Check what a built wheel or sdist contains; exit 1 listing every problem found.

    python tools/check_wheel.py [--expect-kind bundled|system] DIST [DIST ...]

Wheels (``.whl``):
  * required: zmq/__init__.py, zmq/py.typed, zmq/constants.py, the generated
    zmq/_build_info.py, a compiled extension for every backend BUILD_INFO lists, and the
    dist-info files; RECORD lists every file with its correct hash.
  * BUILD_INFO["kind"] is the expected one (wheels are "bundled"); a bundled wheel ships the
    license files of libzmq (and of libsodium when it was built in) and has no separate
    libzmq/libsodium shared library grafted in by a repair tool (they are linked statically).
  * no build inputs or products: C/C++ sources, objects, static archives, Cython's .pyx/.pxi
    and annotation .html, object-cache stamps; no tests/, buildutils/, bundled/ or build/
    directories; no bytecode caches. Kept on purpose: .pxd and .h (the Cython cimport
    interface), .pyi stubs.

sdists (``.tar.gz``): the build inputs (setup.py, pyproject.toml, buildutils/, zmq/, PKG-INFO)
and nothing generated at build time or compiled: no build-info module, no Cython/CFFI C output,
no binaries, no unpacked bundled sources or tarballs.
"""

from __future__ import annotations

import argparse
import ast
import base64
import csv
import hashlib
import io
import re
import sys
import tarfile
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any, Optional

#: Build inputs and products that must not reach a wheel.
WHEEL_FORBIDDEN_SUFFIXES = {
    ".c", ".cc", ".cpp", ".cxx", ".o", ".obj", ".a", ".lib", ".exp",
    ".pyx", ".pxi", ".html", ".flags", ".pyc", ".pyo",
}  # fmt: skip
#: Top-level or nested directory names that never belong in a wheel.
WHEEL_FORBIDDEN_DIRS = {"tests", "buildutils", "bundled", "build", "__pycache__"}
#: Files a forbidden directory may still hold: pyzmq's public (deprecated) ``zmq.tests``.
WHEEL_ALLOWED_FILES = {"zmq/tests/__init__.py"}
#: Extension module stems per backend (any platform suffix).
EXTENSIONS = {
    "cython": "zmq/backend/cython/_zmq",
    "cffi": "zmq/backend/cffi/_cffi_zmq",
}
EXT_SUFFIX = re.compile(r"(\.[\w.-]+)?\.(so|pyd)$")
#: A shared libzmq/libsodium inside the wheel (grafted by auditwheel/delocate/delvewheel).
GRAFTED_LIB = re.compile(r"(^|/)(lib)?(zmq|sodium)[\w.-]*\.(so(\.\d+)*|dylib|dll)$", re.I)
LICENSE_FILE = re.compile(r"(^|/)(_?licen[cs]es?)/([^/]+)$", re.I)
#: How a bundled project's license file may be named.
LICENSE_ALIASES = {"libzmq": ("libzmq", "zeromq"), "libsodium": ("libsodium",)}
#: Generated at build time; an sdist carries only their inputs.
SDIST_GENERATED = re.compile(
    r"^zmq/(_build_info\.py|backend/cython/_zmq\.c"
    r"|backend/cffi/_cffi_zmq[^/]*\.c)$"
)
SDIST_FORBIDDEN_SUFFIXES = {".so", ".pyd", ".dll", ".dylib", ".o", ".obj", ".a", ".lib", ".pyc"}
SDIST_REQUIRED = ["PKG-INFO", "setup.py", "pyproject.toml", "buildutils/__init__.py",
                  "zmq/__init__.py", "zmq/constants.py", "zmq/py.typed", "README.md"]  # fmt: skip


def build_info_from_source(text: str) -> dict[str, Any]:
    """The BUILD_INFO literal of a generated zmq/_build_info.py, without importing it."""
    for node in ast.parse(text).body:
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(target, ast.Name) and target.id == "BUILD_INFO":
            value = ast.literal_eval(node.value)  # type: ignore[attr-defined]
            if isinstance(value, dict):
                return value
    raise ValueError("no BUILD_INFO dict literal found")


def _record_problems(zf: zipfile.ZipFile, names: list[str], record: str) -> list[str]:
    problems = []
    listed: dict[str, str] = {}
    for row in csv.reader(io.StringIO(zf.read(record).decode())):
        if row:
            listed[row[0]] = row[1] if len(row) > 1 else ""
    for name in names:
        if name.endswith("/"):
            continue
        if name not in listed:
            problems.append(f"{name}: not listed in RECORD")
        elif name != record:
            digest = base64.urlsafe_b64encode(hashlib.sha256(zf.read(name)).digest())
            if listed[name] != "sha256=" + digest.rstrip(b"=").decode():
                problems.append(f"{name}: hash does not match RECORD")
    problems += [f"{n}: listed in RECORD but missing" for n in listed if n not in names]
    return problems


def _forbidden(names: Iterable[str], suffixes: set[str], dirs: set[str]) -> list[str]:
    problems = []
    for name in names:
        path = PurePosixPath(name)
        if path.suffix.lower() in suffixes:
            problems.append(f"{name}: build file ({path.suffix}) must not be shipped")
        elif dirs.intersection(path.parts[:-1]) and name not in WHEEL_ALLOWED_FILES:
            problems.append(f"{name}: inside {sorted(dirs.intersection(path.parts[:-1]))[0]}/")
    return problems


def check_wheel(path: str, expect_kind: str = "bundled") -> list[str]:
    problems: list[str] = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        dist_info = sorted(
            {n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")}
        )
        if len(dist_info) != 1:
            return [f"expected one .dist-info directory, found {dist_info}"]
        meta = dist_info[0]
        for required in ("METADATA", "WHEEL", "RECORD"):
            if f"{meta}/{required}" not in names:
                problems.append(f"missing {meta}/{required}")
        version = meta[: -len(".dist-info")].split("-")[-1]
        if f"{meta}/METADATA" in names:
            metadata = zf.read(f"{meta}/METADATA").decode()
            if f"\nVersion: {version}\n" not in metadata:
                problems.append(f"METADATA does not declare Version: {version}")
        if f"{meta}/RECORD" in names:
            problems += _record_problems(zf, names, f"{meta}/RECORD")
        for required in (
            "zmq/__init__.py",
            "zmq/py.typed",
            "zmq/constants.py",
            "zmq/_build_info.py",
        ):
            if required not in names:
                problems.append(f"missing {required}")
        problems += _forbidden(names, WHEEL_FORBIDDEN_SUFFIXES, WHEEL_FORBIDDEN_DIRS)
        info: Optional[dict[str, Any]] = None
        if "zmq/_build_info.py" in names:
            try:
                info = build_info_from_source(zf.read("zmq/_build_info.py").decode())
            except (ValueError, SyntaxError) as e:
                problems.append(f"zmq/_build_info.py: {e}")
        if info is not None:
            problems += _check_build_info(info, names, expect_kind)
    return problems


def _check_build_info(info: dict[str, Any], names: list[str], expect_kind: str) -> list[str]:
    problems = []
    if info.get("kind") != expect_kind:
        problems.append(f'BUILD_INFO["kind"] is {info.get("kind")!r}, expected {expect_kind!r}')
    backends = info.get("backends") or []
    if not backends:
        problems.append('BUILD_INFO["backends"] is empty')
    for backend in backends:
        stem = EXTENSIONS.get(backend)
        if stem is None:
            problems.append(f"unknown backend {backend!r} in BUILD_INFO")
        elif not any(n.startswith(stem) and EXT_SUFFIX.search(n[len(stem) :]) for n in names):
            problems.append(f"no compiled extension for the {backend} backend ({stem}.*)")
    if expect_kind == "bundled":
        licenses = [m.group(3).lower() for n in names if (m := LICENSE_FILE.search(n))]
        wanted = ["libzmq"] + (["libsodium"] if info.get("libsodium") else [])
        for project in wanted:
            if not any(alias in name for alias in LICENSE_ALIASES[project] for name in licenses):
                problems.append(f"no license file of the bundled {project}")
        problems += [f"{n}: a shared {n.rsplit('/', 1)[-1]} was grafted in; libzmq and "
                     "libsodium must be linked statically" for n in names if GRAFTED_LIB.search(n)]  # fmt: skip
    return problems


def check_sdist(path: str) -> list[str]:
    problems: list[str] = []
    with tarfile.open(path, "r:gz") as tar:
        members = [m.name for m in tar.getmembers() if m.isfile()]
    tops = {n.split("/")[0] for n in members}
    if len(tops) != 1:
        return [f"expected one top-level directory, found {sorted(tops)}"]
    top = tops.pop()
    rel = [n[len(top) + 1 :] for n in members]
    for required in SDIST_REQUIRED:
        if required not in rel:
            problems.append(f"missing {required}")
    for name in rel:
        path_ = PurePosixPath(name)
        if SDIST_GENERATED.match(name):
            problems.append(f"{name}: generated at build time, must not be in the sdist")
        elif path_.suffix.lower() in SDIST_FORBIDDEN_SUFFIXES:
            problems.append(f"{name}: compiled file in the sdist")
        elif path_.parts[0] in ("build", "dist") or "__pycache__" in path_.parts:
            problems.append(f"{name}: build output in the sdist")
        elif path_.parts[0] == "bundled" and name not in (
            "bundled/README.md",
            "bundled/.gitignore",
        ):
            problems.append(f"{name}: bundled sources/tarballs must not be in the sdist")
    return problems


def check(path: str, expect_kind: str = "bundled") -> list[str]:
    if path.endswith(".whl"):
        return check_wheel(path, expect_kind)
    if path.endswith(".tar.gz"):
        return check_sdist(path)
    return [f"{path}: not a .whl or .tar.gz"]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expect-kind", choices=["bundled", "system"], default="bundled")
    parser.add_argument("dists", nargs="+")
    opts = parser.parse_args(argv)
    failed = False
    for path in opts.dists:
        problems = check(path, opts.expect_kind)
        print(f"{path}: {'OK' if not problems else f'{len(problems)} problem(s)'}")
        for p in problems:
            print(f"  - {p}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
