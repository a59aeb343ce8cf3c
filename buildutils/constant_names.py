"""THE list of libzmq constants the ``zmq`` package exposes (the pyzmq 27 set).

Adding a constant is one line in :data:`CONSTANTS`. Values are NOT written here: the build
reads each macro from the zmq.h it compiles against (:mod:`buildutils.constants`), so a
name the linked libzmq lacks ends up in ``zmq.constants.UNDEFINED`` instead of getting a
made-up value. The only literal values are for names that are not libzmq macros
(``DeviceType``; ``HWM``, the libzmq-2 option the sugar layer emulates).

Fields of each entry: the Python enum it belongs to, its member name there, the C macro,
the module-level name (``zmq.EVENT_CONNECTED`` for ``Event.CONNECTED``), for socket
options the value type, the first libzmq version whose header has it (approximate for
names older than 3.0, the oldest libzmq we accept), and whether libzmq keeps it in its
DRAFT API (visible only with ``ZMQ_BUILD_DRAFT_API``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

Version = tuple[int, int, int]

#: Value types of socket options (how a backend converts the option's value):
#: ``int`` (C int), ``int64`` (int64_t/uint64_t), ``bytes`` (binary or C string), ``fd``
#: (a file descriptor / SOCKET).
OPTION_TYPES = ("int", "int64", "bytes", "fd")

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
    opt_type: Optional[str] = None
    since: Version = (3, 0, 0)
    draft: bool = False
    #: Only for names that are not libzmq macros.
    literal: Optional[int] = None


def _v(text: str) -> Version:
    major, minor, patch = (int(x) for x in text.split("."))
    return (major, minor, patch)


def _mk(
    enum: str,
    name: str,
    since: str = "3.0.0",
    *,
    c_prefix: str = "ZMQ_",
    g_prefix: str = "",
    extra_globals: tuple[str, ...] = (),
    opt_type: Optional[str] = None,
    draft: bool = False,
    literal: Optional[int] = None,
) -> Constant:
    return Constant(
        enum=enum,
        name=name,
        c_name=c_prefix + name,
        globals=(g_prefix + name, *extra_globals),
        opt_type=opt_type,
        since=_v(since),
        draft=draft,
        literal=literal,
    )


def _errno(name: str, since: str = "3.0.0") -> Constant:
    return _mk("Errno", name, since, c_prefix="")


def _ctx(name: str, since: str = "3.0.0", draft: bool = False) -> Constant:
    return _mk("ContextOption", name, since, draft=draft)


def _sock(name: str, since: str = "3.0.0", draft: bool = False) -> Constant:
    return _mk("SocketType", name, since, draft=draft)


def _opt(name: str, typ: str = "int", since: str = "3.0.0", draft: bool = False) -> Constant:
    return _mk("SocketOption", name, since, opt_type=typ, draft=draft)


def _event(name: str, since: str = "3.0.0", draft: bool = False) -> Constant:
    if name.startswith("PROTOCOL_ERROR_"):
        return _mk("Event", name, since, draft=draft)
    # HANDSHAKE_* were also exported without the EVENT_ prefix by older pyzmq releases.
    extra = (name,) if name.startswith("HANDSHAKE_") else ()
    return _mk(
        "Event",
        name,
        since,
        c_prefix="ZMQ_EVENT_",
        g_prefix="EVENT_",
        extra_globals=extra,
        draft=draft,
    )


def _prefixed(enum: str, prefix: str, name: str, since: str, draft: bool = False) -> Constant:
    """Enum member ``name`` for C macro / module name ``ZMQ_<prefix><name>`` / ``<prefix><name>``."""
    return _mk(enum, name, since, c_prefix="ZMQ_" + prefix, g_prefix=prefix, draft=draft)


CONSTANTS: tuple[Constant, ...] = (
    # errno values: POSIX ones come from errno.h, zmq.h supplies any the platform lacks
    _errno("EAGAIN"),
    _errno("EINVAL"),
    _errno("EFAULT"),
    _errno("ENOMEM"),
    _errno("ENODEV"),
    _errno("EINTR"),
    _errno("ENOENT"),
    _errno("EACCES"),
    _errno("ENOTSUP"),
    _errno("EPROTONOSUPPORT"),
    _errno("ENOBUFS"),
    _errno("ENETDOWN"),
    _errno("EADDRINUSE"),
    _errno("EADDRNOTAVAIL"),
    _errno("ECONNREFUSED"),
    _errno("EINPROGRESS"),
    _errno("ENOTSOCK"),
    _errno("EMSGSIZE"),
    _errno("EAFNOSUPPORT"),
    _errno("ENETUNREACH"),
    _errno("ECONNABORTED"),
    _errno("ECONNRESET"),
    _errno("ENOTCONN"),
    _errno("ETIMEDOUT"),
    _errno("EHOSTUNREACH"),
    _errno("ENETRESET"),
    # libzmq's own error numbers (ZMQ_HAUSNUMERO + n)
    _errno("EFSM"),
    _errno("ENOCOMPATPROTO"),
    _errno("ETERM"),
    _errno("EMTHREAD"),
    # context options
    _ctx("IO_THREADS"),
    _ctx("MAX_SOCKETS"),
    _ctx("SOCKET_LIMIT", "4.1.0"),
    _ctx("THREAD_PRIORITY", "4.1.0"),
    _ctx("THREAD_SCHED_POLICY", "4.1.0"),
    _ctx("MAX_MSGSZ", "4.2.0"),
    _ctx("MSG_T_SIZE", "4.3.0"),
    _ctx("THREAD_AFFINITY_CPU_ADD", "4.3.0"),
    _ctx("THREAD_AFFINITY_CPU_REMOVE", "4.3.0"),
    _ctx("THREAD_NAME_PREFIX", "4.3.0"),
    _ctx("IPV6", "4.0.0"),
    _ctx("BLOCKY", "4.2.0"),
    _ctx("ZERO_COPY_RECV", "4.3.0", draft=True),
    # socket types
    _sock("PAIR"),
    _sock("PUB"),
    _sock("SUB"),
    _sock("REQ"),
    _sock("REP"),
    _sock("DEALER"),
    _sock("ROUTER"),
    _sock("PULL"),
    _sock("PUSH"),
    _sock("XPUB"),
    _sock("XSUB"),
    _sock("STREAM", "4.0.0"),
    _sock("XREQ"),  # deprecated alias of DEALER
    _sock("XREP"),  # deprecated alias of ROUTER
    _sock("SERVER", "4.2.0", draft=True),
    _sock("CLIENT", "4.2.0", draft=True),
    _sock("RADIO", "4.2.0", draft=True),
    _sock("DISH", "4.2.0", draft=True),
    _sock("GATHER", "4.2.0", draft=True),
    _sock("SCATTER", "4.2.0", draft=True),
    _sock("DGRAM", "4.2.0", draft=True),
    _sock("PEER", "4.3.3", draft=True),
    _sock("CHANNEL", "4.3.3", draft=True),
    # socket options
    _mk("SocketOption", "HWM", opt_type="int", literal=1),  # libzmq 2's HWM; sugar sets SND+RCV
    _opt("AFFINITY", "int64"),
    _opt("ROUTING_ID", "bytes", "4.2.0"),
    _opt("SUBSCRIBE", "bytes"),
    _opt("UNSUBSCRIBE", "bytes"),
    _opt("RATE"),
    _opt("RECOVERY_IVL"),
    _opt("SNDBUF"),
    _opt("RCVBUF"),
    _opt("RCVMORE"),
    _opt("FD", "fd"),
    _opt("EVENTS"),
    _opt("TYPE"),
    _opt("LINGER"),
    _opt("RECONNECT_IVL"),
    _opt("BACKLOG"),
    _opt("RECONNECT_IVL_MAX"),
    _opt("MAXMSGSIZE", "int64"),
    _opt("SNDHWM"),
    _opt("RCVHWM"),
    _opt("MULTICAST_HOPS"),
    _opt("RCVTIMEO"),
    _opt("SNDTIMEO"),
    _opt("LAST_ENDPOINT", "bytes", "3.2.0"),
    _opt("ROUTER_MANDATORY", "int", "3.2.0"),
    _opt("TCP_KEEPALIVE", "int", "3.2.0"),
    _opt("TCP_KEEPALIVE_CNT", "int", "3.2.0"),
    _opt("TCP_KEEPALIVE_IDLE", "int", "3.2.0"),
    _opt("TCP_KEEPALIVE_INTVL", "int", "3.2.0"),
    _opt("IMMEDIATE", "int", "4.0.0"),
    _opt("XPUB_VERBOSE", "int", "3.2.0"),
    _opt("ROUTER_RAW", "int", "4.0.0"),
    _opt("IPV6", "int", "4.0.0"),
    _opt("MECHANISM", "int", "4.0.0"),
    _opt("PLAIN_SERVER", "int", "4.0.0"),
    _opt("PLAIN_USERNAME", "bytes", "4.0.0"),
    _opt("PLAIN_PASSWORD", "bytes", "4.0.0"),
    _opt("CURVE_SERVER", "int", "4.0.0"),
    _opt("CURVE_PUBLICKEY", "bytes", "4.0.0"),
    _opt("CURVE_SECRETKEY", "bytes", "4.0.0"),
    _opt("CURVE_SERVERKEY", "bytes", "4.0.0"),
    _opt("PROBE_ROUTER", "int", "4.0.0"),
    _opt("REQ_CORRELATE", "int", "4.0.0"),
    _opt("REQ_RELAXED", "int", "4.0.0"),
    _opt("CONFLATE", "int", "4.0.0"),
    _opt("ZAP_DOMAIN", "bytes", "4.0.0"),
    _opt("ROUTER_HANDOVER", "int", "4.1.0"),
    _opt("TOS", "int", "4.1.0"),
    _opt("CONNECT_ROUTING_ID", "bytes", "4.2.0"),
    _opt("GSSAPI_SERVER", "int", "4.1.0"),
    _opt("GSSAPI_PRINCIPAL", "bytes", "4.1.0"),
    _opt("GSSAPI_SERVICE_PRINCIPAL", "bytes", "4.1.0"),
    _opt("GSSAPI_PLAINTEXT", "int", "4.1.0"),
    _opt("HANDSHAKE_IVL", "int", "4.1.0"),
    _opt("SOCKS_PROXY", "bytes", "4.1.0"),
    _opt("XPUB_NODROP", "int", "4.1.0"),
    _opt("BLOCKY", "int", "4.2.0"),
    _opt("XPUB_MANUAL", "int", "4.2.0"),
    _opt("XPUB_WELCOME_MSG", "bytes", "4.2.0"),
    _opt("STREAM_NOTIFY", "int", "4.2.0"),
    _opt("INVERT_MATCHING", "int", "4.2.0"),
    _opt("HEARTBEAT_IVL", "int", "4.2.0"),
    _opt("HEARTBEAT_TTL", "int", "4.2.0"),
    _opt("HEARTBEAT_TIMEOUT", "int", "4.2.0"),
    _opt("XPUB_VERBOSER", "int", "4.2.0"),
    _opt("CONNECT_TIMEOUT", "int", "4.2.0"),
    _opt("TCP_MAXRT", "int", "4.2.0"),
    _opt("THREAD_SAFE", "int", "4.2.0"),
    _opt("MULTICAST_MAXTPDU", "int", "4.2.0"),
    _opt("VMCI_BUFFER_SIZE", "int64", "4.2.0"),
    _opt("VMCI_BUFFER_MIN_SIZE", "int64", "4.2.0"),
    _opt("VMCI_BUFFER_MAX_SIZE", "int64", "4.2.0"),
    _opt("VMCI_CONNECT_TIMEOUT", "int", "4.2.0"),
    _opt("USE_FD", "int", "4.2.0"),
    _opt("GSSAPI_PRINCIPAL_NAMETYPE", "int", "4.2.3"),
    _opt("GSSAPI_SERVICE_PRINCIPAL_NAMETYPE", "int", "4.2.3"),
    _opt("BINDTODEVICE", "bytes", "4.3.0"),
    # deprecated names and aliases (same values as their replacements)
    _opt("IDENTITY", "bytes"),
    _opt("CONNECT_RID", "bytes", "4.1.0"),
    _opt("TCP_ACCEPT_FILTER", "bytes", "3.2.0"),
    _opt("IPC_FILTER_PID", "int", "4.0.0"),
    _opt("IPC_FILTER_UID", "int", "4.0.0"),
    _opt("IPC_FILTER_GID", "int", "4.0.0"),
    _opt("IPV4ONLY", "int"),
    _opt("DELAY_ATTACH_ON_CONNECT", "int", "3.2.0"),
    _opt("FAIL_UNROUTABLE", "int", "3.2.0"),
    _opt("ROUTER_BEHAVIOR", "int", "3.2.0"),
    # draft socket options
    _opt("ZAP_ENFORCE_DOMAIN", "int", "4.2.3", draft=True),
    _opt("LOOPBACK_FASTPATH", "int", "4.3.0", draft=True),
    _opt("METADATA", "bytes", "4.3.0", draft=True),
    _opt("MULTICAST_LOOP", "int", "4.3.0", draft=True),
    _opt("ROUTER_NOTIFY", "int", "4.3.0", draft=True),
    _opt("XPUB_MANUAL_LAST_VALUE", "int", "4.3.0", draft=True),
    _opt("SOCKS_USERNAME", "bytes", "4.3.0", draft=True),
    _opt("SOCKS_PASSWORD", "bytes", "4.3.0", draft=True),
    _opt("IN_BATCH_SIZE", "int", "4.3.0", draft=True),
    _opt("OUT_BATCH_SIZE", "int", "4.3.0", draft=True),
    _opt("WSS_KEY_PEM", "bytes", "4.3.3", draft=True),
    _opt("WSS_CERT_PEM", "bytes", "4.3.3", draft=True),
    _opt("WSS_TRUST_PEM", "bytes", "4.3.3", draft=True),
    _opt("WSS_HOSTNAME", "bytes", "4.3.3", draft=True),
    _opt("WSS_TRUST_SYSTEM", "int", "4.3.3", draft=True),
    _opt("ONLY_FIRST_SUBSCRIBE", "int", "4.3.3", draft=True),
    _opt("RECONNECT_STOP", "int", "4.3.3", draft=True),
    _opt("HELLO_MSG", "bytes", "4.3.4", draft=True),
    _opt("DISCONNECT_MSG", "bytes", "4.3.4", draft=True),
    _opt("PRIORITY", "int", "4.3.4", draft=True),
    _opt("BUSY_POLL", "int", "4.3.5", draft=True),
    _opt("HICCUP_MSG", "bytes", "4.3.5", draft=True),
    _opt("XSUB_VERBOSE_UNSUBSCRIBE", "int", "4.3.5", draft=True),
    _opt("TOPICS_COUNT", "int", "4.3.5", draft=True),
    _opt("NORM_MODE", "int", "4.3.5", draft=True),
    _opt("NORM_UNICAST_NACK", "int", "4.3.5", draft=True),
    _opt("NORM_BUFFER_SIZE", "int", "4.3.5", draft=True),
    _opt("NORM_SEGMENT_SIZE", "int", "4.3.5", draft=True),
    _opt("NORM_BLOCK_SIZE", "int", "4.3.5", draft=True),
    _opt("NORM_NUM_PARITY", "int", "4.3.5", draft=True),
    _opt("NORM_NUM_AUTOPARITY", "int", "4.3.5", draft=True),
    _opt("NORM_PUSH", "int", "4.3.5", draft=True),
    # message options (zmq_msg_get)
    _mk("MessageOption", "MORE"),
    _mk("MessageOption", "SRCFD", "4.1.0"),
    _mk("MessageOption", "SHARED", "4.1.0"),
    # send/recv flags
    _mk("Flag", "DONTWAIT"),
    _mk("Flag", "SNDMORE"),
    _mk("Flag", "NOBLOCK"),  # deprecated alias of DONTWAIT
    # security mechanisms
    _mk("SecurityMechanism", "NULL", "4.0.0"),
    _mk("SecurityMechanism", "PLAIN", "4.0.0"),
    _mk("SecurityMechanism", "CURVE", "4.0.0"),
    _mk("SecurityMechanism", "GSSAPI", "4.1.0"),
    # monitor events
    _event("CONNECTED"),
    _event("CONNECT_DELAYED"),
    _event("CONNECT_RETRIED"),
    _event("LISTENING"),
    _event("BIND_FAILED"),
    _event("ACCEPTED"),
    _event("ACCEPT_FAILED"),
    _event("CLOSED"),
    _event("CLOSE_FAILED"),
    _event("DISCONNECTED"),
    _event("MONITOR_STOPPED", "4.0.0"),
    _event("ALL"),
    _event("HANDSHAKE_FAILED_NO_DETAIL", "4.2.3"),
    _event("HANDSHAKE_SUCCEEDED", "4.2.3"),
    _event("HANDSHAKE_FAILED_PROTOCOL", "4.2.3"),
    _event("HANDSHAKE_FAILED_AUTH", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_UNSPECIFIED", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_INVALID_METADATA", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC", "4.2.3"),
    _event("PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH", "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_UNSPECIFIED", "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_MALFORMED_REPLY", "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID", "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_BAD_VERSION", "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE", "4.2.3"),
    _event("PROTOCOL_ERROR_ZAP_INVALID_METADATA", "4.2.3"),
    _event("PROTOCOL_ERROR_WS_UNSPECIFIED", "4.3.0"),
    _event("PIPES_STATS", "4.3.3", draft=True),
    _event("ALL_V1", "4.3.3", draft=True),
    _event("ALL_V2", "4.3.3", draft=True),
    # poll events
    _mk("PollEvent", "POLLIN"),
    _mk("PollEvent", "POLLOUT"),
    _mk("PollEvent", "POLLERR"),
    _mk("PollEvent", "POLLPRI", "4.2.0"),
    # zmq_device() types: pyzmq's own numbering, not libzmq macros
    _mk("DeviceType", "STREAMER", literal=1),
    _mk("DeviceType", "FORWARDER", literal=2),
    _mk("DeviceType", "QUEUE", literal=3),
    # values of ROUTER_NOTIFY, NORM_MODE and RECONNECT_STOP
    _prefixed("RouterNotify", "NOTIFY_", "CONNECT", "4.3.0", draft=True),
    _prefixed("RouterNotify", "NOTIFY_", "DISCONNECT", "4.3.0", draft=True),
    _prefixed("NormMode", "NORM_", "FIXED", "4.3.5", draft=True),
    _prefixed("NormMode", "NORM_", "CC", "4.3.5", draft=True),
    _prefixed("NormMode", "NORM_", "CCL", "4.3.5", draft=True),
    _prefixed("NormMode", "NORM_", "CCE", "4.3.5", draft=True),
    _prefixed("NormMode", "NORM_", "CCE_ECNONLY", "4.3.5", draft=True),
    _prefixed("ReconnectStop", "RECONNECT_STOP_", "CONN_REFUSED", "4.3.3", draft=True),
    _prefixed("ReconnectStop", "RECONNECT_STOP_", "HANDSHAKE_FAILED", "4.3.3", draft=True),
    _prefixed("ReconnectStop", "RECONNECT_STOP_", "AFTER_DISCONNECT", "4.3.3", draft=True),
)


def by_c_name() -> dict[str, Constant]:
    """C macro -> its first entry (a macro may serve two enums, e.g. ZMQ_BLOCKY)."""
    out: dict[str, Constant] = {}
    for c in CONSTANTS:
        out.setdefault(c.c_name, c)
    return out


def probed() -> list[str]:
    """C macros whose values are read from the header (every non-literal entry), in order."""
    return [c for c, const in by_c_name().items() if const.literal is None]
