"""Make the source tree's ``buildutils`` importable (it is not installed) and share helpers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    # appended, not prepended: an installed ``zmq`` keeps precedence over the checkout's
    sys.path.append(str(ROOT))


def make_prefix(base: Path, header: str, library_source: str | None) -> Path:
    """A fake install prefix: include/zmq.h and (if given) a real lib/libzmq.so."""
    (base / "include").mkdir(parents=True)
    (base / "include" / "zmq.h").write_text(textwrap.dedent(header))
    if library_source is not None:
        lib = base / "lib"
        lib.mkdir()
        src = base / "stub.c"
        src.write_text(textwrap.dedent(library_source))
        cc = os.environ.get("CC", "cc")
        subprocess.run(
            [cc, "-shared", "-fPIC", "-o", str(lib / "libzmq.so"), str(src)],
            check=True,
            capture_output=True,
        )
    return base


OLD_HEADER = """
    #define ZMQ_VERSION_MAJOR 2
    #define ZMQ_VERSION_MINOR 2
    #define ZMQ_VERSION_PATCH 0
    void zmq_version(int *major, int *minor, int *patch);
"""
OLD_LIBRARY = """
    void zmq_version(int *major, int *minor, int *patch)
    { *major = 2; *minor = 2; *patch = 0; }
"""


@pytest.fixture
def old_prefix(tmp_path: Path) -> Path:
    """A prefix whose header and library both say libzmq 2.2.0."""
    return make_prefix(tmp_path / "old", OLD_HEADER, OLD_LIBRARY)


@pytest.fixture
def no_pkg_config_env(tmp_path: Path) -> dict[str, str]:
    """An environment in which pkg-config finds nothing and no prefix is configured."""
    env = {k: v for k, v in os.environ.items() if k not in ("ZMQ_PREFIX", "CONDA_PREFIX")}
    env["PKG_CONFIG"] = str(tmp_path / "no-such-pkg-config")
    return env
