"""Compile, link and run small C programs with the extension's compiler.

:func:`compile_and_run` is the primitive (also used by :mod:`buildutils.constants`);
:func:`probe_libzmq` runs ``probe_libzmq.c`` against one libzmq candidate and parses its
output into a :class:`ProbeResult`. Every failure becomes a :class:`ProbeError` whose
message is ONE line (the first relevant compiler/linker/runtime line), never a traceback.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from buildutils.config import LibzmqBuild

HERE = Path(__file__).resolve().parent
PROBE_SOURCE = HERE / "probe_libzmq.c"
#: What ``probe_libzmq.c`` asks ``zmq_has()`` about.
CAPABILITIES = ("curve", "ipc", "pgm", "gssapi", "norm", "draft", "tipc", "vmci")
#: How long a probe program may run; a hanging probe is a broken libzmq.
RUN_TIMEOUT = 30.0

Version = tuple[int, int, int]


class ProbeError(Exception):
    """A compile, link or run step failed; ``str(err)`` is a single line."""


@dataclass(frozen=True)
class ProbeResult:
    """What the probe program printed."""

    runtime_version: Version
    header_version: Version
    #: ``zmq_has()`` answers; empty for libzmq < 4.1 (no ``zmq_has``).
    capabilities: dict[str, bool] = field(default_factory=dict)

    @property
    def version_str(self) -> str:
        return ".".join(map(str, self.runtime_version))


def make_compiler(compiler_type: Optional[str] = None, force: bool = False) -> Any:
    """A compiler set up exactly as setuptools' ``build_ext`` sets up its own."""
    importlib.import_module("setuptools")  # provides ``distutils`` on Python >= 3.12
    from distutils.ccompiler import new_compiler
    from distutils.sysconfig import customize_compiler

    compiler = new_compiler(compiler=compiler_type, force=force)
    customize_compiler(compiler)
    return compiler


_VERSION_LINE = re.compile(r"^(runtime|header) (\d+)\.(\d+)\.(\d+)$")
_HAS_LINE = re.compile(r"^has (\w+) ([01])$")


def parse_probe_output(text: str) -> ProbeResult:
    """Parse ``probe_libzmq.c``'s output; ValueError (one line) if it is malformed."""
    versions: dict[str, Version] = {}
    caps: dict[str, bool] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _VERSION_LINE.match(line)
        if m:
            versions[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
            continue
        m = _HAS_LINE.match(line)
        if m:
            caps[m.group(1)] = m.group(2) == "1"
            continue
        raise ValueError(f"unexpected probe output line: {line!r}")
    missing = [k for k in ("runtime", "header") if k not in versions]
    if missing:
        raise ValueError(f"probe output lacks the {' and '.join(missing)} version")
    return ProbeResult(versions["runtime"], versions["header"], caps)


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


def probe_libzmq(
    libzmq: LibzmqBuild, workdir: str | os.PathLike[str], compiler: Any = None
) -> ProbeResult:
    """Compile + link + run the libzmq probe with ``libzmq``'s flags."""
    out = compile_and_run(
        PROBE_SOURCE.read_text(),
        workdir,
        compiler=compiler,
        include_dirs=libzmq.include_dirs,
        library_dirs=libzmq.library_dirs,
        libraries=libzmq.libraries,
        runtime_library_dirs=libzmq.runtime_library_dirs,
        define_macros=libzmq.define_macros,
        extra_compile_args=libzmq.extra_compile_args,
        extra_link_args=libzmq.extra_link_args,
        extra_objects=libzmq.extra_objects,
        name="probe_libzmq",
    )
    try:
        return parse_probe_output(out)
    except ValueError as e:
        raise ProbeError(str(e)) from None
