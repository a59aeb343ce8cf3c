"""Target detection and per-compiler choices of the bundled build (gcc-style, MinGW, MSVC).

MSVC cannot run here: its cases use a stand-in compiler object that records the command
lines it is asked to run, and check what the bundled build would ask cl.exe to do.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any, Optional

import pytest

from buildutils import model
from buildutils.bundled import build as bundle
from buildutils.bundled import checks, libsodium_config, libzmq_config
from buildutils.bundled import target as bundle_target
from buildutils.bundled.target import Target
from buildutils.compiler import make_compiler

MSVC_OPTIONS = ["/nologo", "/O2", "/W3", "/GL", "/DNDEBUG", "/MD"]


class FakeMsvc:
    """What the bundled build uses of setuptools' MSVCCompiler; records instead of running."""

    compiler_type = "msvc"
    obj_extension = ".obj"

    def __init__(self) -> None:
        self.initialized = False
        self.include_dirs = [r"C:\sdk\include\ucrt"]
        self.calls: list[list[str]] = []

    def initialize(self) -> None:
        assert not self.initialized, "initialised twice"
        self.initialized = True
        self.cc, self.linker, self.lib = r"C:\vc\cl.exe", r"C:\vc\link.exe", r"C:\vc\lib.exe"
        self.compile_options = list(MSVC_OPTIONS)
        self._paths = r"C:\vc"

    def call(self, cmd: list[str]) -> None:
        self.calls.append(list(cmd))


def test_msvc_compile_command() -> None:
    cc = FakeMsvc()
    post = [*bundle_target.std_flags(cc, "c++"), *bundle_target.common_flags(cc)]
    bundle_target.compile_object(cc, "o/a.cpp.obj", "s/a.cpp", "c++", ["-DX=1", "-Iinc"], post)
    bundle_target.compile_object(cc, "o/b.c.obj", "s/b.c", "c", ["-DX=1"], [])
    assert cc.initialized
    cpp, c = cc.calls
    assert cpp[0] == r"C:\vc\cl.exe" and cpp[1] == "/c"
    assert {"/O2", "/MD", "/DNDEBUG", "-DX=1", "-Iinc", r"-IC:\sdk\include\ucrt"} <= set(cpp)
    assert cpp[-3:] == ["/Tps/a.cpp", "/Foo/a.cpp.obj", "/EHsc"]
    assert "/GL" not in cpp  # no link-time code generation objects in the archives
    assert "/Tcs/b.c" in c and "/EHsc" not in c
    for cmd in (cpp, c):
        assert not [a for a in cmd if a.startswith(("-std", "-g", "-O", "-f", "-m"))], cmd


def test_msvc_refuses_gnu_assembler() -> None:
    from distutils.errors import CompileError

    with pytest.raises(CompileError, match="does not assemble"):
        bundle_target.compile_object(FakeMsvc(), "x.obj", "x.S", "asm", [], [])


def test_msvc_identity_names_the_toolchain() -> None:
    cc = FakeMsvc()
    ident = bundle_target.identity(cc)  # finds cl.exe first: no cache key without it
    assert r"C:\vc\cl.exe" in ident and r"C:\sdk\include\ucrt" in ident
    assert "/GL" not in " ".join(ident) and "/MD" in " ".join(ident)
    other = FakeMsvc()
    other.initialize()
    other.cc = r"C:\vc\arm64\cl.exe"
    assert bundle_target.identity(other) != ident


def test_quiet_compiler_runs_msvc_tools_with_their_path() -> None:
    """MSVCCompiler runs cl.exe with the PATH initialize() found; our quiet copy must too."""
    from distutils.errors import DistutilsExecError

    cc = FakeMsvc()
    quiet = checks.quiet_compiler(cc)
    assert cc.initialized  # initialised once, before copies are shared between threads
    cmd = [sys.executable, "-c", "import os, sys; print(os.environ['PATH']); sys.exit(1)"]
    with pytest.raises(OSError, match=r"C:\\vc"):
        quiet.call(cmd)
    with pytest.raises(DistutilsExecError, match=r"C:\\vc"):
        quiet.spawn(cmd)


def target(os_name: str, arch: str = "x86_64", msvc: bool = False, mingw: bool = False) -> Target:
    return Target(os_name, arch, msvc, mingw)


def test_link_libraries_per_target() -> None:
    msvc = target("windows", msvc=True).link_libraries()
    assert msvc == ["ws2_32", "iphlpapi", "advapi32"]  # no C++ runtime, no pthread
    mingw = target("windows", mingw=True).link_libraries()
    assert mingw[0] == "stdc++" and "pthread" not in mingw and "advapi32" in mingw
    assert target("linux").link_libraries() == ["stdc++", "pthread"]
    assert target("darwin", "arm64").link_libraries() == ["c++"]
    assert target("windows", msvc=True).probe_libraries() == []
    assert target("linux").probe_libraries() == ["pthread"]


def test_from_answers() -> None:
    t = bundle_target.from_answers({"windows": True, "x86_64": True, "mingw": True}, msvc=False)
    assert t == Target("windows", "x86_64", False, True) and t.windows
    arm = bundle_target.from_answers({"windows": True, "arm64": True}, msvc=True)
    assert arm == Target("windows", "arm64", True, False)
    # universal2 (two -arch flags): every arch check fails in one of the passes
    assert bundle_target.from_answers({"darwin": True}, msvc=False).arch == ""
    assert bundle_target.from_answers({}, msvc=False).os == "other"


def test_runs_here_decides_cross_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle_target, "host_os", lambda: "linux")
    monkeypatch.setattr(bundle_target, "host_arch", lambda: "x86_64")
    assert target("linux").runs_here() and target("linux").dir_suffix() == ""
    assert target("linux", "").runs_here()  # unknown arch: assume the host's
    mingw = target("windows", mingw=True)
    assert not mingw.runs_here() and mingw.dir_suffix() == "-windows-x86_64"
    assert not target("linux", "arm64").runs_here()
    assert target("linux", "x86").runs_here()
    monkeypatch.setattr(bundle_target, "host_os", lambda: "windows")
    monkeypatch.setattr(bundle_target, "host_arch", lambda: "arm64")
    assert target("windows", "arm64", msvc=True).runs_here()
    assert target("windows", "x86_64", msvc=True).runs_here()  # emulated x64
    monkeypatch.setattr(bundle_target, "host_arch", lambda: "x86_64")
    assert not target("windows", "arm64", msvc=True).runs_here()


def test_detect_target_of_this_compiler(tmp_path: Path) -> None:
    t = checks.detect_target(make_compiler(), tmp_path)
    assert not t.msvc and not t.mingw and t.runs_here()
    if sys.platform.startswith("linux"):
        assert t.os == "linux"
        assert t.arch == bundle_target.host_arch()


MINGW = "x86_64-w64-mingw32-"


def mingw_compiler() -> Any:
    """A compiler driving Debian's MinGW-w64 cross compiler, or skip."""
    if not (shutil.which(MINGW + "gcc") and shutil.which(MINGW + "g++")):
        pytest.skip("no x86_64-w64-mingw32-gcc/g++ (Debian: apt-get install g++-mingw-w64-x86-64)")
    return bundle_target.gcc_cross_compiler(MINGW, ".exe")


def test_detect_mingw_cross_compiler(tmp_path: Path) -> None:
    t = checks.detect_target(mingw_compiler(), tmp_path)
    assert t == Target("windows", "x86_64", False, True)
    assert not t.runs_here() or sys.platform == "win32"


# --- Windows configuration ----------------------------------------------------------------


def recorded_checks(monkeypatch: pytest.MonkeyPatch, answers: dict[str, bool]) -> list[Any]:
    """Replace run_checks: record (checks, macros, libraries) and answer from ``answers``."""
    seen: list[Any] = []

    def fake(
        compiler: Any,
        checks: Any,
        workdir: Path,
        macros: Any = (),
        jobs: Optional[int] = None,
        libraries: Any = ("pthread",),
    ) -> dict[str, bool]:
        seen.append(([c.name for c in checks], list(macros), list(libraries)))
        return {c.name: answers.get(c.name, False) for c in checks}

    for module in (libzmq_config, libsodium_config):
        monkeypatch.setattr(module, "run_checks", fake)
    return seen


def test_windows_libzmq_config_msvc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen = recorded_checks(
        monkeypatch, {"ZMQ_HAVE_IPC": True, "stl_condition_variable": True, "HAVE_STRNLEN": True}
    )
    platform, cmdline = libzmq_config.zmq_config(
        FakeMsvc(), target("windows", "arm64", msvc=True), tmp_path, "libsodium"
    )
    ((names, macros, libraries),) = seen
    assert set(names) == {c.name for c in libzmq_config.WINDOWS_ZMQ_CHECKS}
    assert ("_WIN32_WINNT", "0x0600") in macros and libraries == []
    for name in (
        "ZMQ_HAVE_WINDOWS",
        "ZMQ_IOTHREAD_POLLER_USE_EPOLL",
        "ZMQ_POLL_BASED_ON_POLL",
        "ZMQ_USE_CV_IMPL_STL11",
        "ZMQ_HAVE_IPC",
        "ZMQ_USE_LIBSODIUM",
        "SODIUM_STATIC",
        "ZMQ_HAVE_CURVE",
    ):
        assert name in platform, name
    assert platform["ZMQ_CACHELINE_SIZE"] == "64"
    assert not [m for m in platform if "PTHREAD" in m or "EVENTFD" in m or "SELECT" in m]
    assert libzmq_config.uses_wepoll(platform)
    assert ("ZMQ_STATIC", None) in cmdline and ("FD_SETSIZE", "16384") in cmdline
    assert not [m for m, _ in cmdline if m in ("_GNU_SOURCE", "_REENTRANT", "_THREAD_SAFE")]


def test_windows_libzmq_config_without_stl_threads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    recorded_checks(monkeypatch, {})
    platform, _ = libzmq_config.zmq_config(
        None, target("windows", mingw=True), tmp_path, "tweetnacl"
    )
    assert "ZMQ_USE_CV_IMPL_WIN32API" in platform and "ZMQ_HAVE_IPC" not in platform
    assert "ZMQ_USE_TWEETNACL" in platform and "SODIUM_STATIC" not in platform


def test_unix_cross_build_does_not_use_host_cacheline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen = recorded_checks(monkeypatch, {"epoll": True, "poll": True})
    monkeypatch.setattr(libzmq_config, "cacheline_size", lambda: 128)
    monkeypatch.setattr(bundle_target, "host_os", lambda: "linux")
    monkeypatch.setattr(bundle_target, "host_arch", lambda: "x86_64")
    native, _ = libzmq_config.zmq_config(None, target("linux"), tmp_path, "libsodium")
    cross, _ = libzmq_config.zmq_config(None, target("linux", "arm64"), tmp_path, "libsodium")
    assert native["ZMQ_CACHELINE_SIZE"] == "128" and cross["ZMQ_CACHELINE_SIZE"] == "64"
    assert seen[0][2] == ["pthread"] and ("_GNU_SOURCE", None) in seen[0][1]


def test_msvc_libsodium_needs_no_checks_and_no_isa_flags(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert recorded_checks(monkeypatch, {}) == []
    answers, macros, isa = libsodium_config.sodium_settings(
        FakeMsvc(), target("windows", msvc=True), tmp_path
    )
    names = dict(macros)
    assert answers == {} and isa == {}
    assert names["NATIVE_LITTLE_ENDIAN"] == "1" and names["SODIUM_STATIC"] == "1"
    assert "HAVE_UNISTD_H" not in names and "NATIVE_BIG_ENDIAN" not in names
    assert not [n for n in names if n.endswith("INTRIN_H")]  # libsodium's own headers decide


def test_msvc_libsodium_sources_have_no_gcc_flags(tmp_path: Path) -> None:
    libdir = tmp_path / "src" / "libsodium"
    libdir.mkdir(parents=True)
    (libdir / "Makefile.am").write_text(
        "libsodium_la_SOURCES = a.c\nif HAVE_AMD64_ASM\nlibsodium_la_SOURCES += x.S\nendif\n"
        "libsodium_la_LIBADD = libavx2.la\nlibavx2_la_CFLAGS = @CFLAGS_AVX2@\n"
        "libavx2_la_SOURCES = avx2.c\n"
    )
    _, _, isa = libsodium_config.sodium_settings(None, target("windows", msvc=True), tmp_path)
    sources = bundle.sodium_sources(tmp_path, {}, isa)
    assert [(s.path.name, s.lang, s.flags) for s in sources] == [
        ("a.c", "c", ()),
        ("avx2.c", "c", ()),
    ]


def test_mingw_sodium_checks_link_nothing_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen = recorded_checks(monkeypatch, {"ISA_AVX2": True, "NATIVE_LITTLE_ENDIAN": True})
    _, macros, isa = libsodium_config.sodium_settings(None, target("windows", mingw=True), tmp_path)
    assert seen[0][2] == []  # no -lpthread for Windows probes
    assert isa == {"AVX2": "-mavx2"} and ("HAVE_AVX2INTRIN_H", "1") in macros


def test_zmq_sources_with_wepoll(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "zmq.cpp").write_text("")
    names = [(s.path.name, s.lang) for s in bundle.zmq_sources(tmp_path, "libsodium", True)]
    assert names == [("zmq.cpp", "c++"), ("wepoll.c", "c")]
    assert len(bundle.zmq_sources(tmp_path, "libsodium")) == 1


def test_unprobed_result_from_header(tmp_path: Path) -> None:
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "zmq.h").write_text(
        "#define ZMQ_VERSION_MAJOR 4\n#define ZMQ_VERSION_MINOR 3\n#define ZMQ_VERSION_PATCH 4\n"
    )
    result = bundle.unprobed_result(tmp_path, {"ZMQ_HAVE_CURVE": ""})
    assert result.runtime_version == result.header_version == (4, 3, 4)
    assert result.capabilities["curve"] and not result.capabilities["ipc"]
    assert set(result.capabilities) == set(model.CAPABILITIES)


def test_lock_serialises(tmp_path: Path) -> None:
    with bundle._locked(tmp_path / "d"):
        assert (tmp_path / "d" / ".lock").exists()
    with bundle._locked(tmp_path / "d"):  # released: taken again without waiting
        pass
    assert os.listdir(tmp_path / "d") == [".lock"]
