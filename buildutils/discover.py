"""Where a system libzmq may live: pkg-config, then a list of standard prefixes.

Functions here only look at files and run ``pkg-config``/the compiler driver for facts;
they never decide. :mod:`buildutils.config` probes the candidates and picks one.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

#: File names that let ``-lzmq`` link, per platform.
LIBRARY_FILES = ("libzmq.so", "libzmq.dylib", "libzmq.tbd", "libzmq.a", "zmq.lib", "libzmq.lib")


class Rejected(Exception):
    """A candidate cannot be used; ``str(err)`` is the one-line reason."""


@dataclass
class PkgConfigFlags:
    """``pkg-config --cflags`` / ``--libs`` split into what setuptools wants."""

    include_dirs: list[str] = field(default_factory=list)
    library_dirs: list[str] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    define_macros: list[tuple[str, Optional[str]]] = field(default_factory=list)
    extra_compile_args: list[str] = field(default_factory=list)
    extra_link_args: list[str] = field(default_factory=list)


def _split(
    text: str, by_prefix: dict[str, list[str]], extra: list[str], paired: tuple[str, ...] = ()
) -> None:
    """Sort flags: ``-Xvalue``/``-X value`` into ``by_prefix['-X']``, the rest into ``extra``."""
    words = shlex.split(text)
    i = 0
    while i < len(words):
        w = words[i]
        if w[:2] in by_prefix:
            value = w[2:]
            if not value and i + 1 < len(words):
                i += 1
                value = words[i]
            by_prefix[w[:2]].append(value)
        elif w in paired and i + 1 < len(words):
            i += 1
            extra += [w, words[i]]
        else:
            extra.append(w)
        i += 1


def parse_pkg_config(cflags: str, libs: str) -> PkgConfigFlags:
    """Split pkg-config output; flags we do not model go to the extra_* args unchanged."""
    flags = PkgConfigFlags()
    defines: list[str] = []
    _split(
        cflags,
        {"-I": flags.include_dirs, "-D": defines},
        flags.extra_compile_args,
        paired=("-isystem", "-idirafter", "-include"),
    )
    for d in defines:
        name, sep, value = d.partition("=")
        flags.define_macros.append((name, value if sep else None))
    _split(libs, {"-L": flags.library_dirs, "-l": flags.libraries}, flags.extra_link_args)
    return flags


def pkg_config(env: Mapping[str, str], *args: str) -> Optional[str]:
    """Run pkg-config (``$PKG_CONFIG`` or on PATH); None if absent or libzmq unknown."""
    exe = env.get("PKG_CONFIG") or "pkg-config"
    path = shutil.which(exe, path=env.get("PATH"))
    if path is None:
        return None
    try:
        proc = subprocess.run(
            [path, *args, "libzmq"],
            capture_output=True,
            text=True,
            timeout=30,
            env=dict(env),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def multiarch(compiler: Any = None) -> list[str]:
    """Multiarch tuples (``x86_64-linux-gnu``) from the compiler driver and sysconfig."""
    found: list[str] = []
    driver = getattr(compiler, "compiler", None) or [sysconfig.get_config_var("CC") or "cc"]
    cc = shlex.split(driver[0])[0] if isinstance(driver, list) else shlex.split(driver)[0]
    try:
        out = subprocess.run(
            [cc, "-print-multiarch"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    for value in (out, sysconfig.get_config_var("MULTIARCH")):
        if value and value not in found:
            found.append(value)
    return found


def library_dir_candidates(prefix: str, arches: Sequence[str]) -> list[str]:
    p = Path(prefix)
    return [str(p / "lib"), str(p / "lib64"), *(str(p / "lib" / a) for a in arches)]


def system_library_dirs(arches: Sequence[str]) -> set[str]:
    """Dirs the dynamic loader searches anyway: no rpath needed for them."""
    dirs = {"/lib", "/lib64", "/usr/lib", "/usr/lib64"}
    for a in arches:
        dirs |= {f"/lib/{a}", f"/usr/lib/{a}"}
    return dirs


def rpath_for(library_dirs: Sequence[str], arches: Sequence[str]) -> list[str]:
    """Run-time search path for these library dirs (MSVC has no rpath: none on Windows)."""
    if sys.platform == "win32":
        return []
    system = system_library_dirs(arches)
    return [d for d in library_dirs if d not in system]


def find_library_dir(prefix: str, arches: Sequence[str]) -> str:
    """The lib dir under ``prefix`` holding a linkable libzmq, or :class:`Rejected`."""
    tried = library_dir_candidates(prefix, arches)
    for d in tried:
        if any((Path(d) / f).exists() for f in LIBRARY_FILES):
            return d
    shown = ", ".join(os.path.relpath(d, prefix) for d in tried)
    raise Rejected(f"libzmq at {prefix}: no libzmq library in {shown}")


def standard_prefixes(env: Mapping[str, str]) -> list[str]:
    """Prefixes searched when nothing is configured, in order, without duplicates."""
    prefixes = ["/usr/local", "/usr"]
    if env.get("CONDA_PREFIX"):
        prefixes.append(env["CONDA_PREFIX"])
    prefixes.append(env.get("HOMEBREW_PREFIX") or "/opt/homebrew")
    prefixes.append("/usr/local/opt/zeromq")
    seen: list[str] = []
    for p in prefixes:
        if p not in seen:
            seen.append(p)
    return seen
