"""THE list of libzmq constants the ``zmq`` package exposes (the pyzmq 27 set).

Adding a constant is one line in :data:`CONSTANTS`, then ``python
tools/regenerate_constants.py`` rewrites the committed ``zmq/constants.py`` from this list
(:mod:`buildutils.constants_module`). Every name is always defined, as in pyzmq, with the
value written here: libzmq's own (from zmq.h / zmq_draft.h of libzmq 4.3.5), which does not
depend on the header a build uses. What does depend on it is which names that header lacks:
the build reads every macro from the zmq.h it compiles against
(:mod:`buildutils.header_constants`) and records the missing ones in the build info, which
``zmq.constants.UNDEFINED`` reads; using such a name with a libzmq that lacks it fails at
the call, with libzmq's EINVAL. A few entries are not libzmq macros at all (``DeviceType``;
``HWM``, the libzmq-2 option the sugar layer emulates): ``macro=False``, their value is
pyzmq's. Errno values are the platform's (see :func:`_errno`).

Fields of each entry: the Python enum it belongs to, its member name there, libzmq's
value, the C macro, the module-level names (``zmq.EVENT_CONNECTED`` for
``Event.CONNECTED``), for socket options the value type, the first libzmq version whose
header has it (approximate for names older than 3.0, the oldest libzmq we accept), and
whether libzmq keeps it in its DRAFT API (visible only with ``ZMQ_BUILD_DRAFT_API``).

Within an enum, the first entry with a value is that value's canonical member (its repr);
the order follows pyzmq's so that e.g. ``repr(Event.ALL)`` is ``<Event.ALL_V1: 65535>``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

Version = tuple[int, int, int]

#: Value types of socket options (how a backend converts the option's value):
#: ``int`` (C int), ``int64`` (int64_t/uint64_t), ``bytes`` (binary or C string), ``fd``
#: (a file descriptor / SOCKET).
OPTION_TYPES = ("int", "int64", "bytes", "fd")

#: libzmq's base for the error numbers zmq.h defines when the platform lacks them.
H = ZMQ_HAUSNUMERO = 156384712

#: The enum classes of ``zmq.constants``, in the order they are written, with their base.
ENUMS: dict[str, str] = {
    "Errno": "IntEnum",
    "ContextOption": "IntEnum",
    "SocketType": "IntEnum",
    "SocketOption": "IntEnum",
    "MessageOption": "IntEnum",
    "Flag": "IntFlag",
    "SecurityMechanism": "IntEnum",
    "Event": "IntFlag",
    "PollEvent": "IntFlag",
    "DeviceType": "IntEnum",
    "RouterNotify": "IntEnum",
    "NormMode": "IntEnum",
    "ReconnectStop": "IntEnum",
}


@dataclass(frozen=True)
class Constant:
    enum: str
    name: str
    c_name: str
    #: Module-level names (the first is the canonical one).
    globals: tuple[str, ...]
    #: libzmq's value; None only for errno.h's own names (the value is the platform's).
    value: Optional[int]
    opt_type: Optional[str] = None
    since: Version = (3, 0, 0)
    draft: bool = False
    #: False for names that are not libzmq macros (never read from a header).
    macro: bool = True
    #: Errno names on Windows: the C runtime's errno.h value, which libzmq uses there
    #: (Python's ``errno`` module gives WinSock's numbers for these names instead).
    windows_value: Optional[int] = None


def _v(text: str) -> Version:
    major, minor, patch = (int(x) for x in text.split("."))
    return (major, minor, patch)


def _mk(
    enum: str,
    name: str,
    value: Optional[int],
    since: str = "3.0.0",
    *,
    c_prefix: str = "ZMQ_",
    g_prefix: str = "",
    extra_globals: tuple[str, ...] = (),
    opt_type: Optional[str] = None,
    draft: bool = False,
    macro: bool = True,
) -> Constant:
    return Constant(
        enum=enum,
        name=name,
        c_name=c_prefix + name,
        globals=(g_prefix + name, *extra_globals),
        value=value,
        opt_type=opt_type,
        since=_v(since),
        draft=draft,
        macro=macro,
    )


def _errno(name: str, value: Optional[int] = None, windows: Optional[int] = None) -> Constant:
    """An errno name: ``value`` is zmq.h's own, used where the platform's errno.h lacks it."""
    return replace(_mk("Errno", name, value, c_prefix=""), windows_value=windows)


def _ctx(name: str, value: int, since: str = "3.0.0", draft: bool = False) -> Constant:
    return _mk("ContextOption", name, value, since, draft=draft)


def _sock(name: str, value: int, since: str = "3.0.0", draft: bool = False) -> Constant:
    return _mk("SocketType", name, value, since, draft=draft)


def _opt(
    name: str, value: int, typ: str = "int", since: str = "3.0.0", draft: bool = False
) -> Constant:
    return _mk("SocketOption", name, value, since, opt_type=typ, draft=draft)


def _event(name: str, value: int, since: str = "3.0.0", draft: bool = False) -> Constant:
    if name.startswith("PROTOCOL_ERROR_"):
        return _mk("Event", name, value, since, draft=draft)
    # HANDSHAKE_* were also exported without the EVENT_ prefix by older pyzmq releases.
    extra = (name,) if name.startswith("HANDSHAKE_") else ()
    return _mk(
        "Event",
        name,
        value,
        since,
        c_prefix="ZMQ_EVENT_",
        g_prefix="EVENT_",
        extra_globals=extra,
        draft=draft,
    )


def _prefixed(
    enum: str, prefix: str, name: str, value: int, since: str, draft: bool = False
) -> Constant:
    """Enum member ``name`` for C macro / module name ``ZMQ_<prefix><name>`` / ``<prefix><name>``."""
    return _mk(enum, name, value, since, c_prefix="ZMQ_" + prefix, g_prefix=prefix, draft=draft)


CONSTANTS: tuple[Constant, ...] = (
    # errno values: POSIX ones come from errno.h, zmq.h supplies any the platform lacks;
    # the third number is the Windows C runtime's
    _errno("EAGAIN"),
    _errno("EINVAL"),
    _errno("EFAULT"),
    _errno("ENOMEM"),
    _errno("ENODEV"),
    _errno("EINTR"),
    _errno("ENOENT"),
    _errno("EACCES"),
    _errno("ENOTSUP", H + 1, 129),
    _errno("EPROTONOSUPPORT", H + 2, 135),
    _errno("ENOBUFS", H + 3, 119),
    _errno("ENETDOWN", H + 4, 116),
    _errno("EADDRINUSE", H + 5, 100),
    _errno("EADDRNOTAVAIL", H + 6, 101),
    _errno("ECONNREFUSED", H + 7, 107),
    _errno("EINPROGRESS", H + 8, 112),
    _errno("ENOTSOCK", H + 9, 128),
    _errno("EMSGSIZE", H + 10, 115),
    _errno("EAFNOSUPPORT", H + 11, 102),
    _errno("ENETUNREACH", H + 12, 118),
    _errno("ECONNABORTED", H + 13, 106),
    _errno("ECONNRESET", H + 14, 108),
    _errno("ENOTCONN", H + 15, 126),
    _errno("ETIMEDOUT", H + 16, 138),
    _errno("EHOSTUNREACH", H + 17, 110),
    _errno("ENETRESET", H + 18, 117),
    # libzmq's own error numbers (ZMQ_HAUSNUMERO + n)
    _errno("EFSM", H + 51),
    _errno("ENOCOMPATPROTO", H + 52),
    _errno("ETERM", H + 53),
    _errno("EMTHREAD", H + 54),
    # context options
    _ctx("IO_THREADS", 1),
    _ctx("MAX_SOCKETS", 2),
    _ctx("SOCKET_LIMIT", 3, "4.1.0"),
    _ctx("THREAD_PRIORITY", 3, "4.1.0"),
    _ctx("THREAD_SCHED_POLICY", 4, "4.1.0"),
    _ctx("MAX_MSGSZ", 5, "4.2.0"),
    _ctx("MSG_T_SIZE", 6, "4.3.0"),
    _ctx("THREAD_AFFINITY_CPU_ADD", 7, "4.3.0"),
    _ctx("THREAD_AFFINITY_CPU_REMOVE", 8, "4.3.0"),
    _ctx("THREAD_NAME_PREFIX", 9, "4.3.0"),
    _ctx("IPV6", 42, "4.0.0"),
    _ctx("BLOCKY", 70, "4.2.0"),
    _ctx("ZERO_COPY_RECV", 10, "4.3.0", draft=True),
    # socket types
    _sock("PAIR", 0),
    _sock("PUB", 1),
    _sock("SUB", 2),
    _sock("REQ", 3),
    _sock("REP", 4),
    _sock("DEALER", 5),
    _sock("ROUTER", 6),
    _sock("PULL", 7),
    _sock("PUSH", 8),
    _sock("XPUB", 9),
    _sock("XSUB", 10),
    _sock("STREAM", 11, "4.0.0"),
    _sock("XREQ", 5),  # deprecated alias of DEALER
    _sock("XREP", 6),  # deprecated alias of ROUTER
    _sock("SERVER", 12, "4.2.0", draft=True),
    _sock("CLIENT", 13, "4.2.0", draft=True),
    _sock("RADIO", 14, "4.2.0", draft=True),
    _sock("DISH", 15, "4.2.0", draft=True),
    _sock("GATHER", 16, "4.2.0", draft=True),
    _sock("SCATTER", 17, "4.2.0", draft=True),
    _sock("DGRAM", 18, "4.2.0", draft=True),
    _sock("PEER", 19, "4.3.3", draft=True),
    _sock("CHANNEL", 20, "4.3.3", draft=True),
    # socket options
    _mk(
        "SocketOption", "HWM", 1, opt_type="int", macro=False
    ),  # libzmq 2's HWM; sugar sets SND+RCV
    _opt("AFFINITY", 4, "int64"),
    _opt("ROUTING_ID", 5, "bytes", "4.2.0"),
    _opt("SUBSCRIBE", 6, "bytes"),
    _opt("UNSUBSCRIBE", 7, "bytes"),
    _opt("RATE", 8),
    _opt("RECOVERY_IVL", 9),
    _opt("SNDBUF", 11),
    _opt("RCVBUF", 12),
    _opt("RCVMORE", 13),
    _opt("FD", 14, "fd"),
    _opt("EVENTS", 15),
    _opt("TYPE", 16),
    _opt("LINGER", 17),
    _opt("RECONNECT_IVL", 18),
    _opt("BACKLOG", 19),
    _opt("RECONNECT_IVL_MAX", 21),
    _opt("MAXMSGSIZE", 22, "int64"),
    _opt("SNDHWM", 23),
    _opt("RCVHWM", 24),
    _opt("MULTICAST_HOPS", 25),
    _opt("RCVTIMEO", 27),
    _opt("SNDTIMEO", 28),
    _opt("LAST_ENDPOINT", 32, "bytes", "3.2.0"),
    _opt("ROUTER_MANDATORY", 33, "int", "3.2.0"),
    _opt("TCP_KEEPALIVE", 34, "int", "3.2.0"),
    _opt("TCP_KEEPALIVE_CNT", 35, "int", "3.2.0"),
    _opt("TCP_KEEPALIVE_IDLE", 36, "int", "3.2.0"),
    _opt("TCP_KEEPALIVE_INTVL", 37, "int", "3.2.0"),
    _opt("IMMEDIATE", 39, "int", "4.0.0"),
    _opt("XPUB_VERBOSE", 40, "int", "3.2.0"),
    _opt("ROUTER_RAW", 41, "int", "4.0.0"),
    _opt("IPV6", 42, "int", "4.0.0"),
    _opt("MECHANISM", 43, "int", "4.0.0"),
    _opt("PLAIN_SERVER", 44, "int", "4.0.0"),
    _opt("PLAIN_USERNAME", 45, "bytes", "4.0.0"),
    _opt("PLAIN_PASSWORD", 46, "bytes", "4.0.0"),
    _opt("CURVE_SERVER", 47, "int", "4.0.0"),
    _opt("CURVE_PUBLICKEY", 48, "bytes", "4.0.0"),
    _opt("CURVE_SECRETKEY", 49, "bytes", "4.0.0"),
    _opt("CURVE_SERVERKEY", 50, "bytes", "4.0.0"),
    _opt("PROBE_ROUTER", 51, "int", "4.0.0"),
    _opt("REQ_CORRELATE", 52, "int", "4.0.0"),
    _opt("REQ_RELAXED", 53, "int", "4.0.0"),
    _opt("CONFLATE", 54, "int", "4.0.0"),
    _opt("ZAP_DOMAIN", 55, "bytes", "4.0.0"),
    _opt("ROUTER_HANDOVER", 56, "int", "4.1.0"),
    _opt("TOS", 57, "int", "4.1.0"),
    _opt("CONNECT_ROUTING_ID", 61, "bytes", "4.2.0"),
    _opt("GSSAPI_SERVER", 62, "int", "4.1.0"),
    _opt("GSSAPI_PRINCIPAL", 63, "bytes", "4.1.0"),
    _opt("GSSAPI_SERVICE_PRINCIPAL", 64, "bytes", "4.1.0"),
    _opt("GSSAPI_PLAINTEXT", 65, "int", "4.1.0"),
    _opt("HANDSHAKE_IVL", 66, "int", "4.1.0"),
    _opt("SOCKS_PROXY", 68, "bytes", "4.1.0"),
    _opt("XPUB_NODROP", 69, "int", "4.1.0"),
    _opt("BLOCKY", 70, "int", "4.2.0"),
    _opt("XPUB_MANUAL", 71, "int", "4.2.0"),
    _opt("XPUB_WELCOME_MSG", 72, "bytes", "4.2.0"),
    _opt("STREAM_NOTIFY", 73, "int", "4.2.0"),
    _opt("INVERT_MATCHING", 74, "int", "4.2.0"),
    _opt("HEARTBEAT_IVL", 75, "int", "4.2.0"),
    _opt("HEARTBEAT_TTL", 76, "int", "4.2.0"),
    _opt("HEARTBEAT_TIMEOUT", 77, "int", "4.2.0"),
    _opt("XPUB_VERBOSER", 78, "int", "4.2.0"),
    _opt("CONNECT_TIMEOUT", 79, "int", "4.2.0"),
    _opt("TCP_MAXRT", 80, "int", "4.2.0"),
    _opt("THREAD_SAFE", 81, "int", "4.2.0"),
    _opt("MULTICAST_MAXTPDU", 84, "int", "4.2.0"),
    _opt("VMCI_BUFFER_SIZE", 85, "int64", "4.2.0"),
    _opt("VMCI_BUFFER_MIN_SIZE", 86, "int64", "4.2.0"),
    _opt("VMCI_BUFFER_MAX_SIZE", 87, "int64", "4.2.0"),
    _opt("VMCI_CONNECT_TIMEOUT", 88, "int", "4.2.0"),
    _opt("USE_FD", 89, "int", "4.2.0"),
    _opt("GSSAPI_PRINCIPAL_NAMETYPE", 90, "int", "4.2.3"),
    _opt("GSSAPI_SERVICE_PRINCIPAL_NAMETYPE", 91, "int", "4.2.3"),
    _opt("BINDTODEVICE", 92, "bytes", "4.3.0"),
    # deprecated names and aliases (same values as their replacements)
    _opt("IDENTITY", 5, "bytes"),
    _opt("CONNECT_RID", 61, "bytes", "4.1.0"),
    _opt("TCP_ACCEPT_FILTER", 38, "bytes", "3.2.0"),
    _opt("IPC_FILTER_PID", 58, "int", "4.0.0"),
    _opt("IPC_FILTER_UID", 59, "int", "4.0.0"),
    _opt("IPC_FILTER_GID", 60, "int", "4.0.0"),
    _opt("IPV4ONLY", 31, "int"),
    _opt("DELAY_ATTACH_ON_CONNECT", 39, "int", "3.2.0"),
    _opt("FAIL_UNROUTABLE", 33, "int", "3.2.0"),
    _opt("ROUTER_BEHAVIOR", 33, "int", "3.2.0"),
    # draft socket options
    _opt("ZAP_ENFORCE_DOMAIN", 93, "int", "4.2.3", draft=True),
    _opt("LOOPBACK_FASTPATH", 94, "int", "4.3.0", draft=True),
    _opt("METADATA", 95, "bytes", "4.3.0", draft=True),
    _opt("MULTICAST_LOOP", 96, "int", "4.3.0", draft=True),
    _opt("ROUTER_NOTIFY", 97, "int", "4.3.0", draft=True),
    _opt("XPUB_MANUAL_LAST_VALUE", 98, "int", "4.3.0", draft=True),
    _opt("SOCKS_USERNAME", 99, "bytes", "4.3.0", draft=True),
    _opt("SOCKS_PASSWORD", 100, "bytes", "4.3.0", draft=True),
    _opt("IN_BATCH_SIZE", 101, "int", "4.3.0", draft=True),
    _opt("OUT_BATCH_SIZE", 102, "int", "4.3.0", draft=True),
    _opt("WSS_KEY_PEM", 103, "bytes", "4.3.3", draft=True),
    _opt("WSS_CERT_PEM", 104, "bytes", "4.3.3", draft=True),
    _opt("WSS_TRUST_PEM", 105, "bytes", "4.3.3", draft=True),
    _opt("WSS_HOSTNAME", 106, "bytes", "4.3.3", draft=True),
    _opt("WSS_TRUST_SYSTEM", 107, "int", "4.3.3", draft=True),
    _opt("ONLY_FIRST_SUBSCRIBE", 108, "int", "4.3.3", draft=True),
    _opt("RECONNECT_STOP", 109, "int", "4.3.3", draft=True),
    _opt("HELLO_MSG", 110, "bytes", "4.3.4", draft=True),
    _opt("DISCONNECT_MSG", 111, "bytes", "4.3.4", draft=True),
    _opt("PRIORITY", 112, "int", "4.3.4", draft=True),
    _opt("BUSY_POLL", 113, "int", "4.3.5", draft=True),
    _opt("HICCUP_MSG", 114, "bytes", "4.3.5", draft=True),
    _opt("XSUB_VERBOSE_UNSUBSCRIBE", 115, "int", "4.3.5", draft=True),
    _opt("TOPICS_COUNT", 116, "int", "4.3.5", draft=True),
    _opt("NORM_MODE", 117, "int", "4.3.5", draft=True),
    _opt("NORM_UNICAST_NACK", 118, "int", "4.3.5", draft=True),
    _opt("NORM_BUFFER_SIZE", 119, "int", "4.3.5", draft=True),
    _opt("NORM_SEGMENT_SIZE", 120, "int", "4.3.5", draft=True),
    _opt("NORM_BLOCK_SIZE", 121, "int", "4.3.5", draft=True),
    _opt("NORM_NUM_PARITY", 122, "int", "4.3.5", draft=True),
    _opt("NORM_NUM_AUTOPARITY", 123, "int", "4.3.5", draft=True),
    _opt("NORM_PUSH", 124, "int", "4.3.5", draft=True),
    # message options (zmq_msg_get)
    _mk("MessageOption", "MORE", 1),
    _mk("MessageOption", "SRCFD", 2, "4.1.0"),
    _mk("MessageOption", "SHARED", 3, "4.1.0"),
    # send/recv flags
    _mk("Flag", "DONTWAIT", 1),
    _mk("Flag", "SNDMORE", 2),
    _mk("Flag", "NOBLOCK", 1),  # deprecated alias of DONTWAIT
    # security mechanisms
    _mk("SecurityMechanism", "NULL", 0, "4.0.0"),
    _mk("SecurityMechanism", "PLAIN", 1, "4.0.0"),
    _mk("SecurityMechanism", "CURVE", 2, "4.0.0"),
    _mk("SecurityMechanism", "GSSAPI", 3, "4.1.0"),
    # monitor events
    _event("PROTOCOL_ERROR_WS_UNSPECIFIED", 0x30000000, "4.3.0"),
    _event("PROTOCOL_ERROR_ZMTP_UNSPECIFIED", 0x10000000, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND", 0x10000001, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE", 0x10000002, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE", 0x10000003, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED", 0x10000011, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE", 0x10000012, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO", 0x10000013, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE", 0x10000014, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR", 0x10000015, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY", 0x10000016, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME", 0x10000017, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_INVALID_METADATA", 0x10000018, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC", 0x11000001, "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH", 0x11000002, "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_UNSPECIFIED", 0x20000000, "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_MALFORMED_REPLY", 0x20000001, "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID", 0x20000002, "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_BAD_VERSION", 0x20000003, "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE", 0x20000004, "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_INVALID_METADATA", 0x20000005, "4.2.3"),
    _event("CONNECTED", 1),
    _event("CONNECT_DELAYED", 2),
    _event("CONNECT_RETRIED", 4),
    _event("LISTENING", 8),
    _event("BIND_FAILED", 16),
    _event("ACCEPTED", 32),
    _event("ACCEPT_FAILED", 64),
    _event("CLOSED", 128),
    _event("CLOSE_FAILED", 256),
    _event("DISCONNECTED", 512),
    _event("MONITOR_STOPPED", 0x400, "4.0.0"),
    _event("HANDSHAKE_FAILED_NO_DETAIL", 0x800, "4.2.3"),
    _event("HANDSHAKE_SUCCEEDED", 0x1000, "4.2.3"),
    _event("HANDSHAKE_FAILED_PROTOCOL", 0x2000, "4.2.3"),
    _event("HANDSHAKE_FAILED_AUTH", 0x4000, "4.2.3"),
    _event("ALL_V1", 0xFFFF, "4.3.3", draft=True),
    _event("ALL", 0xFFFF),
    _event("PIPES_STATS", 0x10000, "4.3.3", draft=True),
    _event("ALL_V2", 0x1FFFF, "4.3.3", draft=True),
    # poll events
    _mk("PollEvent", "POLLIN", 1),
    _mk("PollEvent", "POLLOUT", 2),
    _mk("PollEvent", "POLLERR", 4),
    _mk("PollEvent", "POLLPRI", 8, "4.2.0"),
    # zmq_device() types: pyzmq's own numbering, not libzmq macros
    _mk("DeviceType", "STREAMER", 1, macro=False),
    _mk("DeviceType", "FORWARDER", 2, macro=False),
    _mk("DeviceType", "QUEUE", 3, macro=False),
    # values of ROUTER_NOTIFY, NORM_MODE and RECONNECT_STOP
    _prefixed("RouterNotify", "NOTIFY_", "CONNECT", 1, "4.3.0", draft=True),
    _prefixed("RouterNotify", "NOTIFY_", "DISCONNECT", 2, "4.3.0", draft=True),
    _prefixed("NormMode", "NORM_", "FIXED", 0, "4.3.5", draft=True),
    _prefixed("NormMode", "NORM_", "CC", 1, "4.3.5", draft=True),
    _prefixed("NormMode", "NORM_", "CCL", 2, "4.3.5", draft=True),
    _prefixed("NormMode", "NORM_", "CCE", 3, "4.3.5", draft=True),
    _prefixed("NormMode", "NORM_", "CCE_ECNONLY", 4, "4.3.5", draft=True),
    _prefixed("ReconnectStop", "RECONNECT_STOP_", "CONN_REFUSED", 1, "4.3.3", draft=True),
    _prefixed("ReconnectStop", "RECONNECT_STOP_", "HANDSHAKE_FAILED", 2, "4.3.3", draft=True),
    _prefixed("ReconnectStop", "RECONNECT_STOP_", "AFTER_DISCONNECT", 4, "4.3.3", draft=True),
)


def by_c_name() -> dict[str, Constant]:
    """C macro -> its first entry (a macro may serve two enums, e.g. ZMQ_BLOCKY)."""
    out: dict[str, Constant] = {}
    for c in CONSTANTS:
        out.setdefault(c.c_name, c)
    return out


def probed() -> list[str]:
    """C macros whose values are read from the header (every macro entry), in order."""
    return [c for c, const in by_c_name().items() if const.macro]
