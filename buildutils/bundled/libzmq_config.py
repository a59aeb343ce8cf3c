"""libzmq's configuration for the bundled build: its ``platform.hpp`` and command-line macros.

What a configure script would decide, from :mod:`buildutils.bundled.checks` answers: the
I/O thread poller, the socket options and system calls the target has, the condition
variable implementation, CURVE through libsodium or tweetnacl. A Windows target
(:mod:`buildutils.bundled.target`) gets the configuration libzmq's CMake chooses there, with
compile-only checks for what varies between SDKs: nothing is run, so cross builds configure
the same way as native ones.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from buildutils.bundled.checks import Check, run_checks
from buildutils.bundled.target import Target
from buildutils.model import Macros

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
        f"// Generated by buildutils/bundled/libzmq_config.py from compiler checks ({origin}); do not edit.",
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
