"""What a build without libzmq's draft API says when a draft-only feature is used.

Shared by both backends; called only on error paths (never on a plain send or receive).
"""

from __future__ import annotations

from typing import Optional

#: How to get the draft API (the error messages end with it).
HOW_TO_BUILD = (
    "libzmq and zmq must both be built with draft support: reinstall zmq with "
    "ZMQ_DRAFT_API=1 (builds the bundled libzmq with its draft API) or against a libzmq "
    "configured with --enable-drafts (see docs/DRAFT.md)"
)


def missing(feature: str) -> RuntimeError:
    """The error for a draft-only method or message property (pyzmq raises RuntimeError)."""
    return RuntimeError(f"{feature} needs libzmq's draft API; {HOW_TO_BUILD}")


def option_error(option: int, errno: int, draft_available: bool) -> Optional[Exception]:
    """A clearer ZMQError (still EINVAL) for an option libzmq refused because the build
    lacks it: absent from the header, or a draft option without the draft API. None when
    libzmq's plain error is the right one."""
    from zmq.constants import _DRAFT_NAMES, _HEADER_VERSION, UNDEFINED, Errno, SocketOption
    from zmq.error import ZMQError

    if errno != Errno.EINVAL:
        return None
    try:
        name = SocketOption(option).name
    except ValueError:
        return None
    if name in UNDEFINED:
        version = ".".join(map(str, _HEADER_VERSION))
        why = f"is not in the zmq.h of libzmq {version} this copy of zmq was built against"
    elif name in _DRAFT_NAMES and not draft_available:
        why = f"is part of libzmq's draft API; {HOW_TO_BUILD}"
    else:
        return None
    return ZMQError(errno, f"Invalid argument: socket option {name} {why}")


def socket_type_error(socket_type: int) -> Optional[Exception]:
    """A draft socket type on a build without the draft API: refused up front, because
    libzmq 4.3 without it makes such sockets but aborts the process when one connects
    over tcp (its handshake has no name for the type)."""
    from zmq.constants import _DRAFT_NAMES, Errno, SocketType
    from zmq.error import ZMQError

    try:
        name = SocketType(socket_type).name
    except ValueError:
        return None
    if name not in _DRAFT_NAMES:
        return None
    return ZMQError(
        Errno.EINVAL, f"Invalid argument: {name} sockets need libzmq's draft API; {HOW_TO_BUILD}"
    )


#: libzmq's ZMQ_GROUP_MAX_LENGTH (4.2+): it silently cuts longer groups
GROUP_MAX_LENGTH = 255


def check_group(group: bytes) -> bytes:
    """A RADIO-DISH group as libzmq takes it, refused rather than cut short by libzmq."""
    if b"\0" in group:
        raise ValueError(f"group contains a NUL byte: {group!r}")
    if len(group) > GROUP_MAX_LENGTH:
        from zmq.constants import Errno
        from zmq.error import ZMQError

        raise ZMQError(
            Errno.EINVAL,
            f"Invalid argument: group is {len(group)} bytes, longer than libzmq's "
            f"ZMQ_GROUP_MAX_LENGTH ({GROUP_MAX_LENGTH})",
        )
    return group
