"""The bundled libzmq + libsodium built for Windows by our build code, run under Wine.

No MSVC exists here, so the Windows configuration (buildutils/bundled/: wepoll, WSAPoll,
Windows link libraries, libsodium's RtlGenRandom) is built with Debian's MinGW-w64 cross
compiler through ``bundled.build.prepare`` — the same entry point the wheel build uses — and a C
program linked statically against the result does TCP and CURVE round trips under Wine.
What stays MSVC-only (cl.exe command lines, IPC via afunix.h, std::condition_variable) is
exercised by the wheels workflow on GitHub's Windows runners.

Our extensions' own C (the Cython-generated module, the CFFI module) is compiled (not linked)
for Windows too, against CPython's Windows headers (``PC/pyconfig.h``).

Needs ``x86_64-w64-mingw32-gcc``/``g++`` and ``wine64`` (ci/setup.sh installs them) and the
tarballs ``ci/fetch_bundled.sh`` caches (libzmq, libsodium, CPython's source). Objects are cached like the other bundled build
test, in ``$ZMQ_BUNDLED_CACHE_DIR/build`` (cross builds use their own subdirectories).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any, Optional

import pytest

from buildutils import build_cffi, build_ext, header_constants
from buildutils.bundled import build as bundle
from buildutils.bundled import fetch as bundle_fetch
from buildutils.bundled import target as bundle_target

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
MINGW = "x86_64-w64-mingw32-"
WINDOWS_CROSS = Path(__file__).resolve().parent / "windows_cross"
PROGRAM = WINDOWS_CROSS / "zmq_roundtrip.c"
WINE_TIMEOUT = 300  # the first start of a fresh Wine prefix takes a while


def need(condition: bool, reason: str) -> None:
    """Skip with ``reason`` outside CI; in CI a missing tool is a setup error."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def wine_executable() -> Optional[str]:
    for name in ("wine64", "wine"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/lib/wine/wine64" if os.access("/usr/lib/wine/wine64", os.X_OK) else None


@pytest.fixture(scope="module")
def mingw() -> Any:
    need(
        bool(shutil.which(MINGW + "gcc") and shutil.which(MINGW + "g++")),
        "MinGW-w64 is missing (Debian: apt-get install g++-mingw-w64-x86-64-win32)",
    )
    return bundle_target.gcc_cross_compiler(MINGW, ".exe")


@pytest.fixture(scope="module")
def windows_build(mingw: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``bundled.build.prepare`` with the MinGW compiler (a cross build: nothing is run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZMQ_BUNDLED_")}
    env[bundle_fetch.CACHE_ENV] = str(bundle_fetch.cache_dir(os.environ))
    for project in ("libzmq", "libsodium"):
        try:
            bundle_fetch.locate(project, Path("/nonexistent"), env, allow_download=False)
        except bundle_fetch.BundleError as e:
            need(False, f"run ci/fetch_bundled.sh first: {e}")
    env[bundle.BUILD_DIR_ENV] = str(bundle_fetch.cache_dir(os.environ) / "build")
    return bundle.prepare(str(tmp_path_factory.mktemp("build-temp")), mingw, env=env)


def test_windows_build_description(windows_build: Any) -> None:
    assert windows_build.libraries == ["stdc++", *bundle_target.WINDOWS_LIBRARIES]
    assert "pthread" not in windows_build.libraries
    assert windows_build.define_macros == [("ZMQ_STATIC", None)]
    zmq_archive, sodium_archive = windows_build.extra_objects
    assert zmq_archive.endswith(".a") and "-windows-x86_64" in zmq_archive
    # cross build: described from zmq.h and platform.hpp, not by running a probe
    assert windows_build.probe.capabilities["curve"] is True
    platform_hpp = (Path(zmq_archive).parent / "include" / "platform.hpp").read_text()
    for macro in ("ZMQ_HAVE_WINDOWS", "ZMQ_IOTHREAD_POLLER_USE_EPOLL", "ZMQ_POLL_BASED_ON_POLL"):
        assert f"#define {macro}\n" in platform_hpp
    members = subprocess.run(
        [MINGW + "ar", "t", zmq_archive], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "wepoll.c.o" in members and "zmq.cpp.o" in members


@pytest.fixture(scope="module")
def roundtrip_exe(mingw: Any, windows_build: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/windows_cross/zmq_roundtrip.c linked like an extension links the build."""
    out = tmp_path_factory.mktemp("roundtrip")
    objects = mingw.compile(
        [str(PROGRAM)],
        output_dir=str(out),
        include_dirs=windows_build.include_dirs,
        macros=windows_build.define_macros,
    )
    mingw.link_executable(
        objects + windows_build.extra_objects,
        "zmq_roundtrip",
        output_dir=str(out),
        libraries=windows_build.libraries,
        # one self-contained .exe: no MinGW runtime DLLs to find under Wine
        extra_postargs=["-static"],
    )
    exe = out / "zmq_roundtrip.exe"
    assert exe.read_bytes()[:2] == b"MZ"
    return exe


def test_roundtrips_under_wine(roundtrip_exe: Path, windows_build: Any) -> None:
    wine = wine_executable()
    need(wine is not None, "Wine is missing (Debian: apt-get install wine64)")
    assert wine is not None
    prefix = bundle_fetch.cache_dir(os.environ) / "wineprefix"
    env = dict(
        os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml="
    )
    proc = subprocess.run(
        [wine, str(roundtrip_exe)],
        capture_output=True,
        text=True,
        timeout=WINE_TIMEOUT,
        env=env,
        check=False,
    )
    lines = [ln.strip() for ln in proc.stdout.splitlines()]
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    version = ".".join(map(str, windows_build.probe.header_version))
    assert lines[0] == f"ok version {version}"
    assert lines[1] == "ok has curve=1 ipc=0"
    assert lines[2] == "ok curve keypair"
    ports = []
    for line, name in zip(lines[3:6], ("push-pull", "req-rep", "curve-req-rep")):
        m = re.fullmatch(rf"ok {name} tcp://127\.0\.0\.1:(\d+)", line)
        assert m, lines
        ports.append(int(m.group(1)))
    assert all(p > 0 for p in ports)
    assert lines[6:] == ["ok curve-wrong-key rejected", "ok done"]


# --- our extensions' C, compiled for Windows ----------------------------------------------

#: What is a warning in C but a sure bug on Windows: a POSIX-only function, a pointer kept
#: in a 32-bit ``long`` (LLP64), a mismatched pointer type.
WINDOWS_C_ERRORS = [
    "-Werror=implicit-function-declaration",
    "-Werror=int-conversion",
    "-Werror=incompatible-pointer-types",
    "-Werror=pointer-to-int-cast",
    "-Werror=int-to-pointer-cast",
]


@pytest.fixture(scope="module")
def windows_python_include(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """CPython's Include/ and PC/ (Windows' pyconfig.h) from its cached source tarball."""
    found = sorted(bundle_fetch.cache_dir(os.environ).glob("python3.*.orig.tar.*"))
    need(bool(found), "no CPython source tarball (for PC/pyconfig.h): run ci/fetch_bundled.sh")
    out = tmp_path_factory.mktemp("cpython")
    with tarfile.open(found[-1]) as tar:
        wanted = [
            m
            for m in tar.getmembers()
            if re.match(r"[^/]+/(Include/.*\.h|PC/pyconfig\.h)$", m.name) and m.isfile()
        ]
        for member in wanted:
            data = tar.extractfile(member)
            assert data is not None
            dest = out / member.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data.read())
    (top,) = out.iterdir()
    return [str(top / "Include"), str(top / "PC")]


def compile_for_windows(mingw: Any, ext: Any, python_include: list[str], out: Path) -> None:
    """Compile ``ext``'s one C source as setuptools would on 64-bit Windows (no link)."""
    (source,) = ext.sources
    (obj,) = mingw.compile(
        [source],
        output_dir=str(out),
        include_dirs=[*ext.include_dirs, *python_include],
        macros=[*ext.define_macros, ("MS_WIN64", None)],  # what MSVC's _WIN64 implies
        extra_postargs=[*ext.extra_compile_args, *WINDOWS_C_ERRORS],
    )
    assert Path(obj).read_bytes()[:2] == b"\x64\x86"  # a COFF object for x86-64


def test_compat_header_for_windows(mingw: Any, windows_build: Any, tmp_path: Path) -> None:
    """The C header both backends share, for Windows: ipc paths as long as afunix.h's."""
    (obj,) = mingw.compile(
        [str(WINDOWS_CROSS / "compat_header.c")],
        output_dir=str(tmp_path),
        include_dirs=[*windows_build.include_dirs, str(ROOT / "zmq" / "backend")],
        macros=windows_build.define_macros,
        extra_postargs=WINDOWS_C_ERRORS,
    )
    assert Path(obj).read_bytes()[:2] == b"\x64\x86"


def test_cython_backend_compiles_for_windows(
    mingw: Any, windows_build: Any, windows_python_include: list[str], tmp_path: Path
) -> None:
    ext = build_ext.cython_extension(windows_build)
    pyx = ROOT / build_ext.CYTHON_PYX
    c_file = tmp_path / "_zmq.c"
    directives = [f"-X{k}={v}" for k, v in build_ext.CYTHON_DIRECTIVES.items()]
    subprocess.run(
        [sys.executable, "-m", "cython", *directives, "-I", str(pyx.parent), "-o", str(c_file)]
        + [str(pyx)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    ext.sources = [str(c_file)]
    ext.include_dirs = [str(ROOT / d) if not os.path.isabs(d) else d for d in ext.include_dirs]
    compile_for_windows(mingw, ext, windows_python_include, tmp_path / "obj")


def test_cffi_backend_compiles_for_windows(
    mingw: Any, windows_build: Any, windows_python_include: list[str], tmp_path: Path
) -> None:
    # which constants the bundled zmq.h defines: its text is the same for every target, so
    # the probe is built and run natively
    hv = header_constants.read_header(windows_build.include_dirs, tmp_path / "constants")
    cdefs = header_constants.render_cdefs(hv, draft_enabled=False)
    ext = build_cffi.cffi_extension(windows_build, str(tmp_path), cdefs)
    compile_for_windows(mingw, ext, windows_python_include, tmp_path / "obj")
