"""Compile many sources with setuptools' compiler, one file per call over a thread pool.

setuptools' ``build_ext -j`` parallelises only across extensions; the bundled libraries are
hundreds of files, so they get their own pool. Objects are cached: a file is skipped when its
object is newer than the source and was built with the same flags (a hash kept beside it).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from buildutils import msg
from buildutils.bundled import target as bundle_target
from buildutils.bundled.checks import compiler_identity, quiet_compiler

#: The interpreter's tuning flags (sysconfig CFLAGS: optimisation, warnings, debug info,
#: overflow semantics, its own defines) are dropped for third-party code, which gets its
#: macros from the probes: objects then do not depend on which Python builds them, and one
#: object cache (ZMQ_BUNDLED_BUILD_DIR) serves every interpreter. Target flags (-arch,
#: -isysroot, -m..., --target) stay. (cl.exe's options: see ``bundle_target.msvc_options``.)
INTERPRETER_TUNING = re.compile(r"-O\w*|-g\w*|-W[\w=+-]*|-fwrapv|-fno-strict-overflow|-D\S+")


class CompileFailed(Exception):
    pass


@dataclass(frozen=True)
class Source:
    path: Path
    lang: str  # "c" | "c++" | "asm"
    flags: tuple[str, ...] = ()


def lang_of(path: Path) -> str:
    return {".cpp": "c++", ".cc": "c++", ".c": "c", ".S": "asm"}[path.suffix]


def _hash(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def compile_sources(
    compiler: Any,
    sources: Sequence[Source],
    root: Path,
    obj_dir: Path,
    *,
    macros: Sequence[tuple[str, Optional[str]]],
    include_dirs: Sequence[str],
    depends: Sequence[Path] = (),
    label: str,
    jobs: Optional[int] = None,
) -> list[str]:
    """Compile ``sources`` (under ``root``) to objects in ``obj_dir``; returns object paths.

    ``depends`` are files every object depends on (generated headers, the source tree's
    tarball + patch marker): their contents are part of every object's flags hash.
    """
    from distutils.ccompiler import gen_preprocess_options
    from distutils.errors import CompileError

    quiet = quiet_compiler(compiler)
    for attr in ("compiler_so", "compiler_so_cxx", "compiler_cxx"):
        command = getattr(quiet, attr, None)
        if command:
            setattr(quiet, attr, [a for a in command if not INTERPRETER_TUNING.fullmatch(a)])
    pp_opts = gen_preprocess_options(list(macros), list(include_dirs))
    base = [
        compiler_identity(quiet),
        pp_opts,
        [hashlib.sha256(p.read_bytes()).hexdigest() for p in depends],
    ]
    todo: list[tuple[Source, Path, str, list[str]]] = []
    objects: list[str] = []
    for s in sources:
        obj = obj_dir / (str(s.path.relative_to(root)) + compiler.obj_extension)
        postargs = [
            *bundle_target.std_flags(compiler, s.lang),
            *bundle_target.common_flags(compiler),
            *s.flags,
        ]
        digest = _hash([*base, postargs])
        objects.append(str(obj))
        stamp = obj.with_name(obj.name + ".flags")
        try:
            fresh = obj.stat().st_mtime >= s.path.stat().st_mtime and stamp.read_text() == digest
        except OSError:
            fresh = False
        if not fresh:
            todo.append((s, obj, digest, postargs))
    cached = len(sources) - len(todo)
    if cached:
        msg.info(f"{label}: {cached} of {len(sources)} objects up to date (cached)")
    lock = threading.Lock()
    done = [0]

    def one(item: tuple[Source, Path, str, list[str]]) -> None:
        s, obj, digest, postargs = item
        obj.parent.mkdir(parents=True, exist_ok=True)
        stamp = obj.with_name(obj.name + ".flags")
        stamp.unlink(missing_ok=True)
        try:
            bundle_target.compile_object(quiet, str(obj), str(s.path), s.lang, pp_opts, postargs)
        except CompileError as e:
            tail = "\n".join(str(e).splitlines()[-30:])
            raise CompileFailed(f"{label}: compiling {s.path.relative_to(root)} failed:\n{tail}")
        stamp.write_text(digest)
        with lock:
            done[0] += 1
            print(f"[{done[0]}/{len(todo)}] {s.path.relative_to(root)}", flush=True)
            sys.stdout.flush()

    if todo:
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            # list() re-raises the first failure; the pool finishes the running calls.
            list(pool.map(one, todo))
    return objects


def archive(compiler: Any, objects: Sequence[str], name: str, out_dir: Path) -> str:
    """A fresh static library of ``objects`` (no stale members from an earlier build)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = Path(compiler.library_filename(name, lib_type="static", output_dir=str(out_dir)))
    path.unlink(missing_ok=True)
    quiet_compiler(compiler).create_static_lib(list(objects), name, output_dir=str(out_dir))
    return str(path)
