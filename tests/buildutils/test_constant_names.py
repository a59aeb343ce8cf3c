"""The constants list itself: consistent, complete for pyzmq 27's names."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from buildutils import constant_names as names
from buildutils import header_constants
from buildutils.compiler import ProbeError, compile_and_run


def test_members_unique_per_enum() -> None:
    dupes = Counter((c.enum, c.name) for c in names.CONSTANTS)
    assert [k for k, n in dupes.items() if n > 1] == []


def test_enums_known_and_used() -> None:
    used = {c.enum for c in names.CONSTANTS}
    assert used == set(names.ENUMS)


def test_module_names_shared_only_by_the_same_macro() -> None:
    owners: dict[str, set[str]] = {}
    for c in names.CONSTANTS:
        for g in c.globals:
            owners.setdefault(g, set()).add(c.c_name)
    assert {g: m for g, m in owners.items() if len(m) > 1} == {}


def test_socket_options_have_value_types() -> None:
    for c in names.CONSTANTS:
        if c.enum == "SocketOption":
            assert c.opt_type in names.OPTION_TYPES, c
        else:
            assert c.opt_type is None, c


def test_non_macros_are_only_pyzmqs_own_names() -> None:
    own = {c.globals[0]: c.value for c in names.CONSTANTS if not c.macro}
    assert own == {"HWM": 1, "STREAMER": 1, "FORWARDER": 2, "QUEUE": 3}


def test_every_name_has_a_value() -> None:
    """Only errno.h's own names leave the value to the platform."""
    unvalued = {c.name for c in names.CONSTANTS if c.value is None}
    assert unvalued == {"EAGAIN", "EINVAL", "EFAULT", "ENOMEM", "ENODEV", "EINTR", "ENOENT"} | {
        "EACCES"
    }


def _value_checks(include: str, pairs: list[tuple[str, int]]) -> str:
    """C that fails to compile if a defined macro differs from its value."""
    lines = [include]
    for i, (macro, value) in enumerate(pairs):
        lines += [
            f"#ifdef {macro}",
            f"typedef char check_{i}[(long long)({macro}) == {value}LL ? 1 : -1];",
            "#endif",
        ]
    return "\n".join([*lines, "int main(void) { return 0; }", ""])


def test_values_agree_with_a_real_zmq_h(tmp_path: Path) -> None:
    """The list's values are libzmq's: where the system zmq.h (read with the draft API)
    has a name, it gives the same value. Skipped: the one name 4.3.5 renumbered, and the
    POSIX error numbers (the list has zmq.h's stand-ins, the platform its own)."""
    hv = header_constants.read_header([], tmp_path / "probe", header="/usr/include/zmq.h")
    renumbered = {"ZMQ_RECONNECT_STOP_AFTER_DISCONNECT"}
    pairs = []
    for c in names.CONSTANTS:
        posix = c.enum == "Errno" and c.value is not None and c.value < names.H + 51
        if c.value is None or posix or not hv.in_header(c) or c.c_name in renumbered:
            continue
        pairs.append((c.c_name, c.value))
    assert len(pairs) > 200
    source = _value_checks("#define ZMQ_BUILD_DRAFT_API 1\n#include <zmq.h>", pairs)
    compile_and_run(source, tmp_path / "values")  # a wrong value fails the compile
    with pytest.raises(ProbeError, match="compile failed"):
        compile_and_run(_value_checks("#include <zmq.h>", [("ZMQ_PUSH", 9)]), tmp_path / "bad")


def test_windows_errno_values_are_the_c_runtimes(tmp_path: Path) -> None:
    """What libzmq uses on Windows: the C runtime's errno.h (here MinGW-w64's, which has
    MSVC's numbers for these names)."""
    gcc = shutil.which("x86_64-w64-mingw32-gcc")
    if gcc is None:
        if os.environ.get("CI"):
            pytest.fail("MinGW-w64 is missing (ci/setup.sh installs it)")
        pytest.skip("MinGW-w64 is missing")
    pairs = [(c.c_name, c.windows_value) for c in names.CONSTANTS if c.windows_value is not None]
    assert len(pairs) == 18
    src = tmp_path / "errno_check.c"
    src.write_text(_value_checks("#include <errno.h>", pairs))
    proc = subprocess.run(
        [gcc, "-fsyntax-only", str(src)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_versions_are_sane() -> None:
    for c in names.CONSTANTS:
        assert (3, 0, 0) <= c.since <= (4, 3, 5), c


def test_required_names_present() -> None:
    have = {g for c in names.CONSTANTS for g in c.globals}
    required = """
        PAIR PUB SUB REQ REP DEALER ROUTER PULL PUSH XPUB XSUB STREAM XREQ XREP
        SERVER CLIENT RADIO DISH GATHER SCATTER DGRAM PEER CHANNEL
        HWM AFFINITY ROUTING_ID IDENTITY SUBSCRIBE LINGER SNDHWM RCVHWM FD EVENTS LAST_ENDPOINT
        CURVE_SERVER CURVE_PUBLICKEY ROUTER_NOTIFY RECONNECT_STOP NORM_MODE BUSY_POLL PRIORITY
        MORE SRCFD SHARED
        IO_THREADS MAX_SOCKETS SOCKET_LIMIT THREAD_PRIORITY THREAD_SCHED_POLICY MAX_MSGSZ
        MSG_T_SIZE THREAD_AFFINITY_CPU_ADD THREAD_AFFINITY_CPU_REMOVE THREAD_NAME_PREFIX
        ZERO_COPY_RECV BLOCKY IPV6
        DONTWAIT NOBLOCK SNDMORE POLLIN POLLOUT POLLERR POLLPRI
        EVENT_CONNECTED EVENT_ALL EVENT_HANDSHAKE_SUCCEEDED EVENT_HANDSHAKE_FAILED_AUTH
        EVENT_MONITOR_STOPPED PROTOCOL_ERROR_ZMTP_UNSPECIFIED EVENT_PIPES_STATS
        NULL PLAIN CURVE GSSAPI STREAMER FORWARDER QUEUE
        EAGAIN EINVAL EFAULT ENOMEM ENODEV EMSGSIZE EAFNOSUPPORT ENETUNREACH ECONNABORTED
        ECONNRESET ENOTCONN ETIMEDOUT EHOSTUNREACH ENETRESET ENOTSUP EPROTONOSUPPORT ENOBUFS
        ENETDOWN EADDRINUSE EADDRNOTAVAIL ECONNREFUSED EINPROGRESS ENOTSOCK EFSM
        ENOCOMPATPROTO ETERM EMTHREAD EINTR ENOENT EACCES
        NOTIFY_CONNECT NOTIFY_DISCONNECT NORM_FIXED NORM_CCE_ECNONLY
        RECONNECT_STOP_CONN_REFUSED RECONNECT_STOP_AFTER_DISCONNECT
    """.split()
    assert sorted(set(required) - have) == []


def test_draft_flags() -> None:
    draft = {c.globals[0] for c in names.CONSTANTS if c.draft}
    assert {"SERVER", "CHANNEL", "ZERO_COPY_RECV", "ROUTER_NOTIFY", "EVENT_PIPES_STATS"} <= draft
    assert not {"PUSH", "LINGER", "EVENT_ALL", "ETERM"} & draft


def test_probed_macros() -> None:
    probed = names.probed()
    assert len(probed) == len(set(probed))
    assert "ZMQ_PUSH" in probed and "EAGAIN" in probed and "ZMQ_EVENT_ALL" in probed
    assert "ZMQ_HWM" not in probed and "ZMQ_STREAMER" not in probed
