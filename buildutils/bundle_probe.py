"""Configure bundled libzmq and libsodium by asking the compiler, autoconf-style, in Python.

Each :class:`Check` is a tiny program compiled (and usually linked) with the extension's own
compiler; what builds decides a macro. Checks run in parallel and their answers are cached
by a hash of the compiler command and the check texts, so a rebuild does not re-probe.
The results become libzmq's ``platform.hpp`` and libsodium's configure-style defines plus
the per-ISA flags (``-mavx2`` ...) its Makefile.am attaches to some sources.

A Windows target (:mod:`buildutils.bundle_target`) gets the configuration libzmq's CMake and
libsodium's MSVC projects choose there, with compile-only checks for what varies between
SDKs: nothing is run, so cross builds configure the same way as native ones.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from buildutils import bundle_target
from buildutils.bundle_target import Target

Macros = list[tuple[str, Optional[str]]]


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


# --- libzmq -------------------------------------------------------------------------------

_SOCK = ("sys/types.h", "sys/socket.h")
_TCP = (*_SOCK, "netinet/in.h", "netinet/tcp.h")


def _sockopt(level: str, opt: str) -> str:
    return f"    int one = 1;\n    return setsockopt(0, {level}, {opt}, &one, sizeof one);"


#: Name -> check, for every platform.hpp macro decided by the compiler.
ZMQ_CHECKS: tuple[Check, ...] = (
    Check("epoll", "    return epoll_create(1);", ("sys/epoll.h",)),
    Check("epoll_cloexec", "    return epoll_create1(EPOLL_CLOEXEC);", ("sys/epoll.h",)),
    Check("kqueue", "    return kqueue();", ("sys/types.h", "sys/event.h", "sys/time.h")),
    Check("poll", "    struct pollfd p = {0, POLLIN, 0};\n    return poll(&p, 1, 0);", ("poll.h",)),
    Check(
        "select",
        "    fd_set s;\n    FD_ZERO(&s);\n    return select(0, &s, 0, 0, 0);",
        ("sys/select.h",),
    ),
    Check("ZMQ_HAVE_EVENTFD", "    return eventfd(0, 0);", ("sys/eventfd.h",)),
    Check("ZMQ_HAVE_EVENTFD_CLOEXEC", "    return eventfd(0, EFD_CLOEXEC);", ("sys/eventfd.h",)),
    Check(
        "ZMQ_HAVE_IPC",
        "    struct sockaddr_un a;\n    a.sun_family = AF_UNIX;\n    return socket(AF_UNIX, SOCK_STREAM, 0) + (int) sizeof a;",
        (*_SOCK, "sys/un.h"),
    ),
    Check(
        "ZMQ_HAVE_UIO", "    struct iovec v = {0, 0};\n    return writev(1, &v, 0);", ("sys/uio.h",)
    ),
    Check("ZMQ_HAVE_IFADDRS", "    struct ifaddrs *a;\n    return getifaddrs(&a);", ("ifaddrs.h",)),
    Check("ZMQ_HAVE_SO_BINDTODEVICE", _sockopt("SOL_SOCKET", "SO_BINDTODEVICE"), _SOCK),
    Check(
        "ZMQ_HAVE_SO_PEERCRED",
        "    struct ucred c;\n    return SO_PEERCRED + (int) sizeof c;",
        _SOCK,
    ),
    Check("ZMQ_HAVE_LOCAL_PEERCRED", "    return LOCAL_PEERCRED;", (*_SOCK, "sys/un.h")),
    Check(
        "ZMQ_HAVE_O_CLOEXEC", '    return open("/dev/null", O_RDONLY | O_CLOEXEC);', ("fcntl.h",)
    ),
    Check(
        "ZMQ_HAVE_SOCK_CLOEXEC", "    return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);", _SOCK
    ),
    Check("ZMQ_HAVE_SO_KEEPALIVE", _sockopt("SOL_SOCKET", "SO_KEEPALIVE"), _SOCK),
    Check("ZMQ_HAVE_SO_PRIORITY", _sockopt("SOL_SOCKET", "SO_PRIORITY"), _SOCK),
    Check("ZMQ_HAVE_TCP_KEEPCNT", _sockopt("IPPROTO_TCP", "TCP_KEEPCNT"), _TCP),
    Check("ZMQ_HAVE_TCP_KEEPIDLE", _sockopt("IPPROTO_TCP", "TCP_KEEPIDLE"), _TCP),
    Check("ZMQ_HAVE_TCP_KEEPINTVL", _sockopt("IPPROTO_TCP", "TCP_KEEPINTVL"), _TCP),
    Check("ZMQ_HAVE_TCP_KEEPALIVE", _sockopt("IPPROTO_TCP", "TCP_KEEPALIVE"), _TCP),
    # Signatures differ by platform; C++ rejects a wrong argument count.
    Check(
        "ZMQ_HAVE_PTHREAD_SETNAME_1", '    return pthread_setname_np("x");', ("pthread.h",), "c++"
    ),
    Check(
        "ZMQ_HAVE_PTHREAD_SETNAME_2",
        '    return pthread_setname_np(pthread_self(), "x");',
        ("pthread.h",),
        "c++",
    ),
    Check(
        "ZMQ_HAVE_PTHREAD_SETNAME_3",
        '    return pthread_setname_np(pthread_self(), "x", (void *) 0);',
        ("pthread.h",),
        "c++",
    ),
    Check(
        "ZMQ_HAVE_PTHREAD_SET_NAME",
        '    pthread_set_name_np(pthread_self(), "x");',
        ("pthread.h", "pthread_np.h"),
        "c++",
    ),
    Check(
        "ZMQ_HAVE_PTHREAD_SET_AFFINITY",
        "    cpu_set_t s;\n    CPU_ZERO(&s);\n    return pthread_setaffinity_np(pthread_self(), sizeof s, &s);",
        ("pthread.h",),
        "c++",
    ),
    Check("HAVE_ACCEPT4", "    return accept4(0, 0, 0, SOCK_CLOEXEC);", _SOCK, "c++"),
    Check("HAVE_STRNLEN", '    return (int) strnlen("x", 1);', ("string.h",), "c++"),
    Check(
        "ZMQ_HAVE_STRLCPY",
        '    char b[2];\n    return (int) strlcpy(b, "x", 2);',
        ("string.h",),
        "c++",
    ),
    Check("HAVE_IF_NAMETOINDEX", '    return (int) if_nametoindex("lo");', ("net/if.h",), "c++"),
    Check("HAVE_FORK", "    return fork();", ("unistd.h",), "c++"),
    Check(
        "HAVE_CLOCK_GETTIME",
        "    struct timespec t;\n    return clock_gettime(CLOCK_MONOTONIC, &t);",
        ("time.h",),
        "c++",
    ),
    Check("HAVE_GETHRTIME", "    return (int) gethrtime();", ("sys/time.h",), "c++"),
    Check(
        "HAVE_MKDTEMP",
        '    char t[] = "xXXXXXX";\n    return mkdtemp(t) != 0;',
        ("stdlib.h",),
        "c++",
    ),
    Check(
        "HAVE_POSIX_MEMALIGN",
        "    void *p;\n    return posix_memalign(&p, 64, 64);",
        ("stdlib.h",),
        "c++",
    ),
    Check(
        "ZMQ_HAVE_GETRANDOM",
        "    char b[4];\n    return (int) getrandom(b, 4, 0);",
        ("sys/random.h",),
        "c++",
    ),
    Check(
        "ZMQ_HAVE_NOEXCEPT",
        "struct s { s() noexcept {} };\nint main() { s v; (void) v; return 0; }",
        lang="c++",
        link=False,
    ),
    Check(
        "stl_condition_variable", "    std::condition_variable cv;", ("condition_variable",), "c++"
    ),
    Check(
        "_GNU_SOURCE",
        "#if !defined(__linux__) && !defined(__GNU__) && !defined(__CYGWIN__)\n#error no\n#endif\nint main() { return 0; }",
        link=False,
    ),
)

#: Macros set exactly when the check of the same name passes.
_DIRECT = [c.name for c in ZMQ_CHECKS if c.name.isupper() and c.name != "_GNU_SOURCE"]


def zmq_platform(answers: Mapping[str, bool], curve: str, cacheline: int = 64) -> dict[str, str]:
    """platform.hpp's macros (name -> value, "" for a bare define) from check answers."""
    d: dict[str, str] = {name: "" for name in _DIRECT if answers.get(name)}
    for poller in ("epoll", "kqueue", "poll", "select"):
        if answers.get(poller):
            d[f"ZMQ_IOTHREAD_POLLER_USE_{poller.upper()}"] = ""
            break
    else:
        raise RuntimeError(
            "bundled libzmq: the compiler offers none of epoll, kqueue, poll, select"
        )
    if "ZMQ_IOTHREAD_POLLER_USE_EPOLL" in d and answers.get("epoll_cloexec"):
        d["ZMQ_IOTHREAD_POLLER_USE_EPOLL_CLOEXEC"] = ""
    d["ZMQ_POLL_BASED_ON_POLL" if answers.get("poll") else "ZMQ_POLL_BASED_ON_SELECT"] = ""
    d[
        "ZMQ_USE_CV_IMPL_STL11"
        if answers.get("stl_condition_variable")
        else "ZMQ_USE_CV_IMPL_PTHREADS"
    ] = ""
    d["ZMQ_CACHELINE_SIZE"] = str(cacheline)
    d.update(_curve_macros(curve))
    return d


def _curve_macros(curve: str) -> dict[str, str]:
    if curve == "libsodium":
        return {"ZMQ_HAVE_CURVE": "", "ZMQ_USE_LIBSODIUM": "", "SODIUM_STATIC": ""}
    return {"ZMQ_HAVE_CURVE": "", "ZMQ_USE_TWEETNACL": ""}


#: What libzmq's sources get on the command line for Windows, as its CMake passes it: the
#: Vista API level (condition variables, if_nametoindex, what wepoll needs), room for 16K
#: sockets in an fd_set, no deprecation noise.
WINDOWS_ZMQ_MACROS: Macros = [
    ("_WIN32_WINNT", "0x0600"),
    ("FD_SETSIZE", "16384"),
    ("_CRT_SECURE_NO_WARNINGS", None),
    ("_WINSOCK_DEPRECATED_NO_WARNINGS", None),
]


def _named(*names: str) -> tuple[Check, ...]:
    return tuple(c for c in ZMQ_CHECKS if c.name in names)


#: What varies between Windows SDKs and compilers; compile-only or link-free checks.
WINDOWS_ZMQ_CHECKS: tuple[Check, ...] = (
    # IPC over AF_UNIX sockets: SDKs since Windows 10 1803 have afunix.h, and libzmq 4.3
    # includes it for MSVC only (ipc_address.hpp), so MinGW builds go without IPC.
    Check(
        "ZMQ_HAVE_IPC",
        "#ifndef _MSC_VER\n#error libzmq includes afunix.h for MSVC only\n#endif\n"
        "#include <winsock2.h>\n#include <afunix.h>\n"
        "int main(void) { struct sockaddr_un a; a.sun_family = AF_UNIX; return (int) sizeof a; }",
        link=False,
    ),
    Check(
        "HAVE_IF_NAMETOINDEX",
        '    return (int) if_nametoindex("lo");',
        ("winsock2.h", "iphlpapi.h"),
        "c++",
        link=False,
    ),
    *_named("HAVE_STRNLEN", "ZMQ_HAVE_NOEXCEPT", "stl_condition_variable"),
)


def zmq_platform_windows(answers: Mapping[str, bool], curve: str) -> dict[str, str]:
    """platform.hpp's macros for Windows: what libzmq's CMake picks with MSVC.

    I/O threads poll with epoll emulated by the bundled wepoll (compiled with libzmq),
    zmq_poll() with WSAPoll; condition variables from the C++ library, else Win32's.
    """
    d = {
        name: ""
        for name in ("ZMQ_HAVE_IPC", "HAVE_IF_NAMETOINDEX", "HAVE_STRNLEN", "ZMQ_HAVE_NOEXCEPT")
        if answers.get(name)
    }
    d["ZMQ_HAVE_WINDOWS"] = ""
    d["ZMQ_IOTHREAD_POLLER_USE_EPOLL"] = ""
    d["ZMQ_POLL_BASED_ON_POLL"] = ""
    cv = "STL11" if answers.get("stl_condition_variable") else "WIN32API"
    d[f"ZMQ_USE_CV_IMPL_{cv}"] = ""
    d["ZMQ_CACHELINE_SIZE"] = "64"  # what libzmq's CMake falls back to without getconf
    d.update(_curve_macros(curve))
    return d


def uses_wepoll(platform: Mapping[str, str]) -> bool:
    return "ZMQ_HAVE_WINDOWS" in platform and "ZMQ_IOTHREAD_POLLER_USE_EPOLL" in platform


def zmq_config(
    compiler: Any, target: Target, workdir: Path, curve: str
) -> tuple[dict[str, str], Macros]:
    """(platform.hpp's macros, command-line macros) for libzmq on ``target``."""
    if target.windows:
        answers = run_checks(
            compiler, WINDOWS_ZMQ_CHECKS, workdir, macros=WINDOWS_ZMQ_MACROS, libraries=[]
        )
        return zmq_platform_windows(answers, curve), [("ZMQ_STATIC", None), *WINDOWS_ZMQ_MACROS]
    answers = run_checks(
        compiler,
        ZMQ_CHECKS,
        workdir,
        macros=[("_GNU_SOURCE", None)],
        libraries=target.probe_libraries(),
    )
    # the build machine's cache line says nothing about another target's
    cacheline = cacheline_size() if target.runs_here() else 64
    return zmq_platform(answers, curve, cacheline), zmq_command_line_macros(answers)


def cacheline_size() -> int:
    try:
        size = os.sysconf("SC_LEVEL1_DCACHE_LINESIZE")
    except (ValueError, OSError, AttributeError):
        size = 0
    return size if size and size > 0 else 64


def render_platform_hpp(macros: Mapping[str, str], origin: str) -> str:
    lines = [
        f"// Generated by buildutils/bundle_probe.py from compiler checks ({origin}); do not edit.",
        "#ifndef __ZMQ_PLATFORM_HPP_INCLUDED__",
        "#define __ZMQ_PLATFORM_HPP_INCLUDED__",
        "",
    ]
    lines += [f"#define {k} {v}".rstrip() for k, v in sorted(macros.items())]
    # The OS macros libzmq's sources test, derived from the compiler's predefined macros.
    for pre, ours in (
        ("__linux__", "ZMQ_HAVE_LINUX"),
        ("__APPLE__", "ZMQ_HAVE_OSX"),
        ("__FreeBSD__", "ZMQ_HAVE_FREEBSD"),
        ("__FreeBSD_kernel__", "ZMQ_HAVE_FREEBSD"),
        ("__NetBSD__", "ZMQ_HAVE_NETBSD"),
        ("__OpenBSD__", "ZMQ_HAVE_OPENBSD"),
        ("__DragonFly__", "ZMQ_HAVE_DRAGONFLY"),
        ("__ANDROID__", "ZMQ_HAVE_ANDROID"),
        ("__CYGWIN__", "ZMQ_HAVE_CYGWIN"),
        ("__sun", "ZMQ_HAVE_SOLARIS"),
        ("_AIX", "ZMQ_HAVE_AIX"),
        ("__hpux", "ZMQ_HAVE_HPUX"),
        ("__QNXNTO__", "ZMQ_HAVE_QNXNTO"),
        ("__GNU__", "ZMQ_HAVE_GNU"),
    ):
        lines += [f"#if defined {pre} && !defined {ours}", f"#define {ours}", "#endif"]
    lines += ["", "#endif", ""]
    return "\n".join(lines)


def zmq_command_line_macros(answers: Mapping[str, bool]) -> Macros:
    macros: Macros = [("ZMQ_STATIC", None), ("_REENTRANT", None), ("_THREAD_SAFE", None)]
    if answers.get("_GNU_SOURCE"):
        macros.append(("_GNU_SOURCE", None))
    return macros


# --- libsodium ----------------------------------------------------------------------------

_AVX512 = """\
#ifndef __AVX512F__
#error no avx512f
#endif
    __m512i x = _mm512_setzero_epi32();
    __m512i y = _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 1, 4, 5, 2, 3, 6, 7), x);
    (void) y;"""

#: Makefile.am's @CFLAGS_X@ name, the macro its sources test, the flag, the intrinsics test.
SODIUM_ISAS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "MMX",
        "HAVE_MMINTRIN_H",
        "-mmmx",
        "mmintrin.h",
        "    __m64 x = _mm_setzero_si64(); (void) x;",
    ),
    (
        "SSE2",
        "HAVE_EMMINTRIN_H",
        "-msse2",
        "emmintrin.h",
        "    __m128i z = _mm_srli_epi64(_mm_setzero_si128(), 26); (void) z;",
    ),
    (
        "SSE3",
        "HAVE_PMMINTRIN_H",
        "-msse3",
        "pmmintrin.h",
        "    __m128 x = _mm_addsub_ps(_mm_setzero_ps(), _mm_setzero_ps()); (void) x;",
    ),
    (
        "SSSE3",
        "HAVE_TMMINTRIN_H",
        "-mssse3",
        "tmmintrin.h",
        "    __m128i x = _mm_abs_epi32(_mm_setzero_si128()); (void) x;",
    ),
    (
        "SSE41",
        "HAVE_SMMINTRIN_H",
        "-msse4.1",
        "smmintrin.h",
        "    __m128i x = _mm_minpos_epu16(_mm_setzero_si128()); (void) x;",
    ),
    ("AVX", "HAVE_AVXINTRIN_H", "-mavx", "immintrin.h", "    _mm256_zeroall();"),
    (
        "AVX2",
        "HAVE_AVX2INTRIN_H",
        "-mavx2",
        "immintrin.h",
        "    __m256i y = _mm256_broadcastsi128_si256(_mm_setzero_si128());\n"
        "    __m256 x = _mm256_permutevar8x32_ps(_mm256_set1_ps(1.0f), _mm256_set1_epi32(1));\n"
        "    (void) x; (void) y;",
    ),
    ("AVX512F", "HAVE_AVX512FINTRIN_H", "-mavx512f", "immintrin.h", _AVX512),
    (
        "AESNI",
        "HAVE_WMMINTRIN_H",
        "-maes -mpclmul",
        "wmmintrin.h",
        "    __m128i x = _mm_aesimc_si128(_mm_setzero_si128());\n"
        "    __m128i y = _mm_clmulepi64_si128(x, x, 0); (void) y;",
    ),
    (
        "RDRAND",
        "HAVE_RDRAND",
        "-mrdrnd",
        "immintrin.h",
        "    unsigned long long x;\n    return _rdrand64_step(&x) - 1;",
    ),
)

_X86_64_ONLY = """\
#if !defined(__x86_64__) || defined(_WIN32) || defined(__CYGWIN__)
#error not x86_64 with the SysV ABI
#endif
"""


def _plain(name: str, body: str, headers: tuple[str, ...] = ()) -> Check:
    return Check(name, body, headers)


SODIUM_CHECKS: tuple[Check, ...] = (
    *(
        Check(f"ISA_{n}", body, (hdr,), flags=tuple(flag.split()), link=False)
        for n, _, flag, hdr, body in SODIUM_ISAS
    ),
    Check(
        "NATIVE_LITTLE_ENDIAN",
        "#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__\n#error big\n#endif\nint main(void) { return 0; }",
        link=False,
    ),
    Check(
        "NATIVE_BIG_ENDIAN",
        "#if __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__\n#error little\n#endif\nint main(void) { return 0; }",
        link=False,
    ),
    _plain(
        "HAVE_INLINE_ASM", '    int a = 1;\n    __asm__ __volatile__("" : : "r"(&a) : "memory");'
    ),
    Check(
        "HAVE_AMD64_ASM",
        _X86_64_ONLY
        + 'int main(void) {\n    unsigned char i = 0, o = 0, t;\n    __asm__ __volatile__("pxor %%xmm12, %%xmm6\\n"\n'
        '        "movb (%[i]), %[t]\\n" "addb %[t], (%[o])\\n"\n'
        '        : [t] "=&r"(t) : [o] "D"(&o), [i] "S"(&i) : "memory", "flags", "cc");\n    return o;\n}',
        link=False,
    ),
    Check(
        "HAVE_AVX_ASM",
        _X86_64_ONLY
        + 'int main(void) {\n    __asm__ __volatile__("vpunpcklqdq %xmm0,%xmm13,%xmm0");\n    return 0;\n}',
        link=False,
    ),
    Check(
        "HAVE_TI_MODE",
        "#if !defined(__SIZEOF_INT128__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__\n#error no\n#endif\n"
        "typedef unsigned __int128 u128;\n"
        "int main(void) { u128 t = 3; t *= t; t >>= 84; return (int) t; }",
        link=False,
    ),
    _plain(
        "HAVE_CPUID",
        "    unsigned int a, b, c, d;\n"
        '    __asm__ __volatile__("xchgl %%ebx, %k1; cpuid; xchgl %%ebx, %k1"\n'
        '        : "=a"(a), "=&r"(b), "=c"(c), "=d"(d) : "0"(0U), "2"(0U));\n    return (int) (a & 0);',
    ),
    _plain(
        "hidden_directive",
        '    __asm__ __volatile__(".hidden sym_probe\\n.globl sym_probe\\nsym_probe:\\n nop\\n");',
    ),
    Check(
        "HAVE_WEAK_SYMBOLS",
        "#if !defined(__ELF__) && !defined(__APPLE_CC__)\n#error no\n#endif\n"
        "__attribute__((weak)) void probe_weak(void *x) { (void) x; }\n"
        "int main(void) { probe_weak(0); return 0; }",
    ),
    Check(
        "CPU_UNALIGNED_ACCESS",
        "#if !(defined(__i386__) || defined(__x86_64__) || defined(__powerpc__) || "
        "defined(__s390__) || defined(__ARM_FEATURE_UNALIGNED))\n#error aligned\n#endif\nint main(void) { return 0; }",
        link=False,
    ),
    _plain(
        "HAVE_ATOMIC_OPS",
        "    static volatile int l;\n    __sync_lock_test_and_set(&l, 1);\n    __sync_lock_release(&l);",
    ),
    Check("tls_thread_local", "static _Thread_local int v;\nint main(void) { return v; }"),
    Check("tls_gnu", "static __thread int v;\nint main(void) { return v; }"),
    _plain("HAVE_SYS_MMAN_H", "", ("sys/mman.h",)),
    _plain("HAVE_SYS_RANDOM_H", "", ("sys/random.h",)),
    _plain("HAVE_ALLOCA_H", "    return *(char *) alloca(1) & 0;", ("alloca.h",)),
    _plain("HAVE_PTHREAD", "    return (int) pthread_self() & 0;", ("pthread.h",)),
    _plain(
        "HAVE_MMAP",
        "    return mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0) == 0;",
        ("sys/mman.h",),
    ),
    _plain("HAVE_MLOCK", "    char b[1];\n    return mlock(b, 1);", ("sys/mman.h",)),
    _plain(
        "HAVE_MADVISE", "    char b[1];\n    return madvise(b, 1, MADV_DONTDUMP);", ("sys/mman.h",)
    ),
    _plain(
        "HAVE_MPROTECT", "    char b[1];\n    return mprotect(b, 1, PROT_READ);", ("sys/mman.h",)
    ),
    _plain(
        "HAVE_GETRANDOM", "    char b[1];\n    return (int) getrandom(b, 1, 0);", ("sys/random.h",)
    ),
    Check(
        "HAVE_GETENTROPY",
        "#ifdef __APPLE__\n#error not used on Apple systems\n#endif\n"
        "#include <unistd.h>\n#include <sys/random.h>\nint main(void) { char b[1]; return getentropy(b, 1); }",
    ),
    _plain(
        "HAVE_POSIX_MEMALIGN", "    void *p;\n    return posix_memalign(&p, 64, 64);", ("stdlib.h",)
    ),
    _plain("HAVE_GETPID", "    return (int) getpid();", ("unistd.h",)),
    _plain(
        "HAVE_NANOSLEEP",
        "    struct timespec t = {0, 0};\n    return nanosleep(&t, 0);",
        ("time.h",),
    ),
    _plain("HAVE_EXPLICIT_BZERO", "    char b[1];\n    explicit_bzero(b, 1);", ("string.h",)),
    _plain("HAVE_MEMSET_S", "    char b[1];\n    return memset_s(b, 1, 0, 1);", ("string.h",)),
    _plain("HAVE_EXPLICIT_MEMSET", "    char b[1];\n    explicit_memset(b, 0, 1);", ("string.h",)),
    _plain("HAVE_ARC4RANDOM", "    return (int) arc4random();", ("stdlib.h",)),
    _plain("HAVE_ARC4RANDOM_BUF", "    char b[1];\n    arc4random_buf(b, 1);", ("stdlib.h",)),
    _plain("HAVE_C_VARARRAYS", "    int n = 3;\n    char v[n];\n    v[0] = 0;\n    return v[0];"),
)


#: libsodium as its MSVC projects build it: no configure step, the intrinsics headers found
#: by its own private/common.h on x86/x64 (no ISA flags with cl.exe; none at all on ARM64),
#: C's ``inline`` spelled ``__inline``, little-endian.
MSVC_SODIUM_MACROS: Macros = [
    ("CONFIGURED", "1"),
    ("SODIUM_STATIC", "1"),
    ("NATIVE_LITTLE_ENDIAN", "1"),
    ("_CRT_SECURE_NO_WARNINGS", "1"),
    ("inline", "__inline"),
]


def sodium_settings(
    compiler: Any, target: Target, workdir: Path
) -> tuple[dict[str, bool], Macros, dict[str, str]]:
    """(check answers, defines, ``CFLAGS_<ISA>`` substitutions) for libsodium on ``target``."""
    if target.msvc:
        return {}, list(MSVC_SODIUM_MACROS), {}
    answers = run_checks(compiler, SODIUM_CHECKS, workdir, libraries=target.probe_libraries())
    macros, flags = sodium_config(answers)
    return answers, macros, flags


def sodium_config(answers: Mapping[str, bool]) -> tuple[Macros, dict[str, str]]:
    """libsodium's defines and the ``CFLAGS_<ISA>`` substitutions for its Makefile.am."""
    macros: Macros = [("CONFIGURED", "1"), ("SODIUM_STATIC", "1"), ("HAVE_UNISTD_H", "1")]
    flags: dict[str, str] = {}
    for isa, macro, flag, _, _ in SODIUM_ISAS:
        if answers.get(f"ISA_{isa}"):
            macros.append((macro, "1"))
            flags[isa] = flag
    non_isa = [c.name for c in SODIUM_CHECKS if c.name.isupper() and not c.name.startswith("ISA_")]
    macros += [(name, "1") for name in non_isa if answers.get(name)]
    if answers.get("HAVE_ALLOCA_H"):
        macros.append(("HAVE_ALLOCA", "1"))
    if answers.get("hidden_directive"):
        macros.append(("ASM_HIDE_SYMBOL", ".hidden"))
    if answers.get("tls_thread_local"):
        macros.append(("TLS", "_Thread_local"))
    elif answers.get("tls_gnu"):
        macros.append(("TLS", "__thread"))
    return macros, flags
