"""What the bundled build compiles for, and how each compiler family is driven.

The target (OS, CPU) is decided from the compiler's predefined macros, autoconf style, never
from ``sys.platform``: a cross compiler (MinGW on Linux, cl.exe for ARM64 on an x64 host) is
configured for where the code will run, and nothing built for another machine is run here.
Two command-line families: gcc-style (setuptools' "unix", "mingw32" and "cygwin" compilers:
gcc, clang, MinGW's gcc) and MSVC (cl.exe, lib.exe, link.exe through setuptools' MSVCCompiler).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from buildutils.compiler import make_compiler

#: Target OS -> the predefined-macro condition that identifies it (first match wins).
OS_CONDITIONS = {
    "windows": "defined(_WIN32)",
    "darwin": "defined(__APPLE__)",
    "linux": "defined(__linux__)",
}
#: Target CPU -> condition; none or several true (macOS universal2) leaves it unknown.
ARCH_CONDITIONS = {
    "x86_64": "defined(__x86_64__) || defined(_M_X64) || defined(_M_AMD64)",
    "arm64": "defined(__aarch64__) || defined(_M_ARM64)",
    "x86": "defined(__i386__) || defined(_M_IX86)",
}
MINGW_CONDITION = "defined(__MINGW32__)"

#: gcc-style per-language flags: libzmq's C++ needs C++11, libsodium's C is C99 + GNU.
GCC_STD_FLAGS = {"c++": ["-std=gnu++11"], "c": ["-std=gnu99"], "asm": []}
#: cl.exe: C++ exceptions as setuptools compiles C++ (its default language level is C++14).
MSVC_STD_FLAGS = {"c++": ["/EHsc"], "c": [], "asm": []}
#: Third-party code, gcc-style: no debug info (smaller extensions, faster builds), -O2.
#: cl.exe gets setuptools' own options instead (/O2 /DNDEBUG /MD), see :func:`msvc_options`.
GCC_COMMON_FLAGS = ["-g0", "-O2", "-DNDEBUG"]
#: Libraries the probe programs link on a Unix target (threads); Windows needs none.
UNIX_PROBE_LIBRARIES = ["pthread"]
#: Windows system libraries of the bundled code: winsock and adapter addresses (libzmq),
#: RtlGenRandom (libsodium's random numbers).
WINDOWS_LIBRARIES = ["ws2_32", "iphlpapi", "advapi32"]


def host_os() -> str:
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "darwin"
    return "linux" if sys.platform.startswith("linux") else "other"


def host_arch() -> str:
    machine = platform.machine().lower()
    for arch, names in (
        ("x86_64", ("x86_64", "amd64")),
        ("arm64", ("arm64", "aarch64")),
        ("x86", ("i386", "i686", "x86")),
    ):
        if machine in names:
            return arch
    return ""


@dataclass(frozen=True)
class Target:
    os: str  # "windows" | "darwin" | "linux" | "other"
    arch: str  # "x86_64" | "arm64" | "x86" | "" (unknown)
    msvc: bool  # cl.exe command lines, else gcc-style
    mingw: bool = False

    @property
    def windows(self) -> bool:
        return self.os == "windows"

    def runs_here(self) -> bool:
        """Whether programs built for the target run on this machine (False: cross build)."""
        if self.os != host_os():
            return False
        here = host_arch()
        if not self.arch or not here or self.arch == here:
            return True
        # 32-bit x86 on x86_64; x86_64 emulated on Windows/macOS ARM64
        return (self.arch, here) == ("x86", "x86_64") or (
            (self.arch, here) == ("x86_64", "arm64") and self.os in ("windows", "darwin")
        )

    def dir_suffix(self) -> str:
        """Work-directory suffix: a cross build never shares objects with a native one."""
        return "" if self.runs_here() else f"-{self.os}-{self.arch or 'unknown'}"

    def probe_libraries(self) -> list[str]:
        return [] if self.windows else list(UNIX_PROBE_LIBRARIES)

    def link_libraries(self) -> list[str]:
        """What an extension (C, linked by the C driver) needs besides the two archives."""
        if self.windows:
            # cl.exe's objects name their C++ runtime themselves; MinGW's gcc does not.
            return list(WINDOWS_LIBRARIES) if self.msvc else ["stdc++", *WINDOWS_LIBRARIES]
        # libzmq's C++ runtime and threads must be linked explicitly.
        return ["c++"] if self.os == "darwin" else ["stdc++", "pthread"]


def from_answers(answers: dict[str, bool], msvc: bool) -> Target:
    """The target from the answers to :func:`conditions` (names as keys)."""
    os_name = next((name for name in OS_CONDITIONS if answers.get(name)), "other")
    arches = [name for name in ARCH_CONDITIONS if answers.get(name)]
    return Target(os_name, arches[0] if len(arches) == 1 else "", msvc, bool(answers.get("mingw")))


def conditions() -> dict[str, str]:
    """Every name -> preprocessor condition the target detection asks the compiler about."""
    return {**OS_CONDITIONS, **ARCH_CONDITIONS, "mingw": MINGW_CONDITION}


# --- compiler families --------------------------------------------------------------------


def is_msvc(compiler: Any) -> bool:
    return getattr(compiler, "compiler_type", "unix") == "msvc"


def ready(compiler: Any) -> None:
    """Let MSVC find cl.exe and the SDK once, before the compiler is copied for threads."""
    if is_msvc(compiler) and not getattr(compiler, "initialized", True):
        compiler.initialize()


def std_flags(compiler: Any, lang: str) -> list[str]:
    return list((MSVC_STD_FLAGS if is_msvc(compiler) else GCC_STD_FLAGS)[lang])


def common_flags(compiler: Any) -> list[str]:
    return [] if is_msvc(compiler) else list(GCC_COMMON_FLAGS)


def probe_flags(compiler: Any, lang: str) -> list[str]:
    """Language flags for a probe: C++11 for C++ (C probes use the compiler's default)."""
    return std_flags(compiler, lang) if lang == "c++" else []


def msvc_options(compiler: Any) -> list[str]:
    # /GL objects need link-time code generation in every later link and are tied to one
    # exact compiler build: plain objects suit a static archive and the object cache.
    return [o for o in compiler.compile_options if o != "/GL"]


def identity(compiler: Any) -> list[str]:
    """The compiler's command lines: part of every probe-answer and object cache key."""
    if is_msvc(compiler):
        ready(compiler)
        return [
            str(compiler.cc),
            " ".join(msvc_options(compiler)),
            str(compiler.linker),
            str(compiler.lib),
            os.pathsep.join(compiler.include_dirs),
        ]
    return [
        " ".join(getattr(compiler, attr, None) or [])
        for attr in ("compiler_so", "compiler_cxx", "linker_exe")
    ]


def compile_object(
    compiler: Any, obj: str, src: str, lang: str, pp_opts: Sequence[str], postargs: Sequence[str]
) -> None:
    """Compile ``src`` into exactly ``obj``; CompileError on failure.

    setuptools' ``compile()`` would mirror the source's full path under its output dir, so
    gcc-style compilers go through ``_compile`` (one explicit object path) and cl.exe gets
    its command line built here, as MSVCCompiler.compile builds it.
    """
    from distutils.errors import CompileError, DistutilsExecError

    if not is_msvc(compiler):
        ext = os.path.splitext(src)[1]
        compiler._compile(obj, src, ext, [*pp_opts, "-c"], list(postargs), list(pp_opts))
        return
    if lang == "asm":
        raise CompileError(f"{src}: cl.exe does not assemble GNU assembler sources")
    ready(compiler)
    cmd = [
        compiler.cc,
        "/c",
        *msvc_options(compiler),
        *pp_opts,
        *(f"-I{d}" for d in compiler.include_dirs),  # the SDK's, found by initialize()
        ("/Tp" if lang == "c++" else "/Tc") + src,
        "/Fo" + obj,
        *postargs,
    ]
    run = getattr(compiler, "call", None) or compiler.spawn
    try:
        run(cmd)
    except (OSError, subprocess.CalledProcessError, DistutilsExecError) as e:
        raise CompileError(str(e)) from None


def gcc_cross_compiler(prefix: str, exe_extension: str = "") -> Any:
    """setuptools' gcc-style compiler driving the toolchain ``<prefix>gcc``, ``g++``, ``ar``.

    E.g. MinGW-w64's ``x86_64-w64-mingw32-`` (with ``.exe``): how the Windows configuration
    is built and verified on Linux. No flags from this interpreter's sysconfig.
    """
    cc = make_compiler("unix")
    tools = {
        "compiler": "gcc",
        "compiler_so": "gcc",
        "compiler_cxx": "g++",
        "compiler_so_cxx": "g++",
        "linker_so": "gcc -shared",
        "linker_so_cxx": "g++ -shared",
        "linker_exe": "gcc",
        "linker_exe_cxx": "g++",
        "archiver": "ar -cr",
        "ranlib": "ranlib",
    }
    cc.set_executables(**{k: prefix + v for k, v in tools.items() if k in cc.executables})
    cc.exe_extension = exe_extension
    return cc
