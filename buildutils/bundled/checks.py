"""The compiler-check runner of the bundled build: autoconf-style tests, in Python.

Each :class:`Check` is a tiny program compiled (and usually linked) with the extension's own
compiler; whether it builds answers one question. Checks run in parallel and their answers
are cached by a hash of the compiler command and the check texts, so a rebuild does not
re-probe. What the answers mean is decided above this module: libzmq's ``platform.hpp`` in
:mod:`buildutils.bundled.libzmq_config`, libsodium's defines in
:mod:`buildutils.bundled.libsodium_config`; :func:`detect_target` uses them for the target.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from buildutils.bundled import target as bundle_target
from buildutils.bundled.target import Target


@dataclass(frozen=True)
class Check:
    name: str
    body: str  # statements inside main(), or a whole program if it defines main
    headers: tuple[str, ...] = ()
    lang: str = "c"  # "c" | "c++"
    flags: tuple[str, ...] = ()
    link: bool = True

    def source(self) -> str:
        includes = "".join(f"#include <{h}>\n" for h in self.headers)
        if "main(" in self.body:
            return includes + self.body + "\n"
        return f"{includes}int main(void)\n{{\n{self.body}\n    return 0;\n}}\n"


def quiet_compiler(compiler: Any) -> Any:
    """A copy of ``compiler`` whose commands print nothing unless they fail."""
    from distutils.errors import DistutilsExecError

    bundle_target.ready(compiler)
    # MSVCCompiler runs its tools with the PATH its initialize() found
    paths = getattr(compiler, "_paths", None)
    env = dict(os.environ, PATH=paths) if paths else None

    def run(cmd: Sequence[str]) -> str | None:
        """The command's output if it failed, else None."""
        proc = subprocess.run(list(cmd), capture_output=True, text=True, check=False, env=env)
        return (proc.stdout + proc.stderr).strip() if proc.returncode else None

    def spawn(cmd: Sequence[str], **_: Any) -> None:
        output = run(cmd)
        if output is not None:
            raise DistutilsExecError(output)

    def call(cmd: Sequence[str], **_: Any) -> None:
        # newer setuptools compiles through ``call`` and wraps what it raises in
        # CompileError(str(exc)): an OSError's str is just our message
        output = run(cmd)
        if output is not None:
            raise OSError(output)

    quiet = copy.copy(compiler)
    quiet.spawn = spawn
    quiet.call = call
    return quiet


def try_build(
    compiler: Any,
    check: Check,
    workdir: Path,
    macros: Sequence[tuple[str, Optional[str]]],
    libraries: Sequence[str] = bundle_target.UNIX_PROBE_LIBRARIES,
) -> bool:
    """Whether ``check`` compiles (and links, if it asks) with ``compiler``."""
    from distutils.ccompiler import gen_preprocess_options
    from distutils.errors import CompileError, LinkError

    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / ("t.cpp" if check.lang == "c++" else "t.c")
    src.write_text(check.source())
    obj = str(workdir / ("t" + compiler.obj_extension))
    pp_opts = gen_preprocess_options(list(macros), [])
    postargs = [*bundle_target.probe_flags(compiler, check.lang), *check.flags]
    try:
        bundle_target.compile_object(compiler, obj, str(src), check.lang, pp_opts, postargs)
        if check.link:
            compiler.link_executable(
                [obj],
                "t",
                output_dir=str(workdir),
                libraries=list(libraries),
                target_lang=check.lang,
                extra_postargs=list(check.flags),
            )
    except (CompileError, LinkError):
        return False
    return True


def compiler_identity(compiler: Any) -> list[str]:
    return bundle_target.identity(compiler)


def run_checks(
    compiler: Any,
    checks: Sequence[Check],
    workdir: Path,
    macros: Sequence[tuple[str, Optional[str]]] = (),
    jobs: Optional[int] = None,
    libraries: Sequence[str] = bundle_target.UNIX_PROBE_LIBRARIES,
) -> dict[str, bool]:
    """Answer every check (cached in ``workdir/answers.json`` by compiler + check hash).

    ``libraries`` (what linking checks link) follow from the target, hence from the compiler
    already in the cache key.
    """
    key = hashlib.sha256(
        json.dumps(
            [compiler_identity(compiler), list(macros), [c.__dict__ for c in checks]], default=str
        ).encode()
    ).hexdigest()
    cache = workdir / "answers.json"
    try:
        saved = json.loads(cache.read_text())
        if saved.get("key") == key:
            return dict(saved["answers"])
    except (OSError, ValueError):
        pass
    quiet = quiet_compiler(compiler)
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        results = pool.map(
            lambda ic: try_build(quiet, ic[1], workdir / f"c{ic[0]:03d}", macros, libraries),
            enumerate(checks),
        )
        answers = {c.name: ok for c, ok in zip(checks, results)}
    workdir.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "answers": answers}, indent=1))
    return answers


def detect_target(compiler: Any, workdir: Path) -> Target:
    """The compiler's target OS and CPU, from its predefined macros (compile-only checks)."""
    checks = [
        Check(name, f"#if !({cond})\n#error no\n#endif\nint main(void) {{ return 0; }}", link=False)
        for name, cond in bundle_target.conditions().items()
    ]
    # one answer cache per compiler: builds for several targets can share a build dir
    key = hashlib.sha256(json.dumps(compiler_identity(compiler)).encode()).hexdigest()[:16]
    answers = run_checks(compiler, checks, workdir / key)
    return bundle_target.from_answers(answers, bundle_target.is_msvc(compiler))
