"""Probe one libzmq candidate: compile, link and run ``probe_libzmq.c`` with its flags.

Discovery layer (above :mod:`buildutils.compiler` and :mod:`buildutils.model`). The result
is a :class:`~buildutils.model.ProbeResult`; every failure a one-line
:class:`~buildutils.compiler.ProbeError`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from buildutils.compiler import ProbeError, compile_and_run
from buildutils.model import LibzmqBuild, ProbeResult, Version

PROBE_SOURCE = Path(__file__).resolve().parent / "probe_libzmq.c"

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
