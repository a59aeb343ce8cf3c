"""Compile, link and run small C programs with the compiler the extensions are built with.

Bottom layer. :func:`make_compiler` sets a compiler up as setuptools' ``build_ext`` does;
:func:`compile_and_run` is the primitive of the libzmq probe (:mod:`buildutils.probe`) and
the constants probe (:mod:`buildutils.header_constants`). Every failure becomes a
:class:`ProbeError` whose message is ONE line (the first relevant compiler/linker/runtime
line), never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Optional

# imported first: it provides ``distutils`` on Python >= 3.12
import setuptools  # type: ignore[import-untyped, unused-ignore]  # noqa: F401

#: How long a probe program may run; a hanging probe is a broken libzmq.
RUN_TIMEOUT = 30.0


class ProbeError(Exception):
    """A compile, link or run step failed; ``str(err)`` is a single line."""


def make_compiler(compiler_type: Optional[str] = None, force: bool = False) -> Any:
    """A compiler set up exactly as setuptools' ``build_ext`` sets up its own."""
    from distutils.ccompiler import new_compiler
    from distutils.sysconfig import customize_compiler

    compiler = new_compiler(compiler=compiler_type, force=force)
    customize_compiler(compiler)
    return compiler


@contextlib.contextmanager
def _captured_fds() -> Iterator[list[str]]:
    """Send fds 1 and 2 (ours and the compiler's) to a buffer; yields [captured text]."""
    out: list[str] = []
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 1)
        os.dup2(tmp.fileno(), 2)
        try:
            yield out
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            tmp.seek(0)
            out.append(tmp.read().decode("utf-8", "replace"))


_ERROR_HINT = re.compile(
    r"error|cannot find|undefined reference|not found|no such file|undefined symbol", re.I
)


def first_error_line(output: str, default: str) -> str:
    """The most telling line of compiler/linker output, shortened to its message."""
    for line in output.splitlines():
        if _ERROR_HINT.search(line) and not line.lstrip().startswith(("gcc ", "cc ", "clang ")):
            # "probe.c:3:10: fatal error: zmq.h: No such file" -> "fatal error: zmq.h: ..."
            m = re.search(r"((fatal )?error:.*)$", line)
            return (m.group(1) if m else line).strip()
    return default


def compile_and_run(
    source: str,
    workdir: str | os.PathLike[str],
    *,
    compiler: Any = None,
    include_dirs: Sequence[str] = (),
    library_dirs: Sequence[str] = (),
    libraries: Sequence[str] = (),
    runtime_library_dirs: Sequence[str] = (),
    define_macros: Sequence[tuple[str, Optional[str]]] = (),
    extra_compile_args: Sequence[str] = (),
    extra_link_args: Sequence[str] = (),
    extra_objects: Sequence[str] = (),
    name: str = "probe",
) -> str:
    """Build ``source`` (C text) into an executable in ``workdir``, run it, return stdout."""
    from distutils.errors import CompileError, LinkError

    if compiler is None:
        compiler = make_compiler()
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    src = work / f"{name}.c"
    src.write_text(source)
    try:
        with _captured_fds() as out:
            objects = compiler.compile(
                [str(src)],
                output_dir=str(work / "obj"),
                include_dirs=list(include_dirs),
                macros=list(define_macros),
                extra_postargs=list(extra_compile_args),
            )
    except CompileError:
        raise ProbeError("compile failed: " + first_error_line(out[0], "compiler error")) from None
    exe_name = compiler.executable_filename(name)
    try:
        with _captured_fds() as out:
            compiler.link_executable(
                objects + list(extra_objects),
                name,
                output_dir=str(work),
                libraries=list(libraries),
                library_dirs=list(library_dirs),
                runtime_library_dirs=list(runtime_library_dirs),
                extra_postargs=list(extra_link_args),
            )
    except LinkError:
        raise ProbeError("link failed: " + first_error_line(out[0], "linker error")) from None
    return run_program(str(work / exe_name), library_dirs)


def run_program(exe: str, library_dirs: Sequence[str] = ()) -> str:
    """Run a probe executable; its library dirs are also put on the loader's path."""
    env = dict(os.environ)
    dirs = list(library_dirs)
    if sys.platform == "win32":
        # DLLs are found on PATH, and installs keep them in bin/ beside lib/
        var = "PATH"
        dirs += [os.path.join(os.path.dirname(d.rstrip("\\/")), "bin") for d in library_dirs]
    elif sys.platform == "darwin":
        var = "DYLD_LIBRARY_PATH"
    else:
        var = "LD_LIBRARY_PATH"
    env[var] = os.pathsep.join([*dirs, *filter(None, [env.get(var)])])
    try:
        proc = subprocess.run(
            [exe], capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        raise ProbeError(f"probe did not finish within {RUN_TIMEOUT:.0f} s") from None
    except OSError as e:
        raise ProbeError(f"probe could not be started: {e.strerror or e}") from None
    if proc.returncode != 0:
        detail = first_error_line(proc.stderr, (proc.stderr.strip().splitlines() or [""])[0])
        status = f"signal {-proc.returncode}" if proc.returncode < 0 else proc.returncode
        raise ProbeError(f"probe exited with status {status}" + (f": {detail}" if detail else ""))
    return proc.stdout
