"""``python -m zmq``: print how this copy was built, then self-test a loopback round trip.

Exits non-zero if the self-test fails.
"""

from __future__ import annotations

import sys
from typing import List, Optional

_CAPABILITIES = ("ipc", "pgm", "tipc", "norm", "curve", "gssapi", "draft")


def _build_info_lines() -> List[str]:
    try:
        from zmq._build_info import BUILD_INFO
    except ImportError:
        return ["build info: not available (zmq/_build_info.py was not generated)"]
    return [f"  {key}: {value}" for key, value in sorted(BUILD_INFO.items())]


def _round_trip(ctx: object, url: str) -> None:
    import zmq

    assert isinstance(ctx, zmq.Context)
    with ctx.socket(zmq.PULL) as pull, ctx.socket(zmq.PUSH) as push:
        pull.linger = push.linger = 0
        pull.rcvtimeo = push.sndtimeo = 5000
        pull.bind(url)
        push.connect(pull.last_endpoint.decode())
        payload = b"zmq self-test \x00\xff"
        push.send(payload)
        received = pull.recv()
        if received != payload:
            raise AssertionError(f"sent {payload!r}, received {received!r}")


def main(argv: Optional[List[str]] = None) -> int:
    import zmq

    print(f"pyzmq-compatible zmq {zmq.pyzmq_version()} at {zmq.__file__}")
    print(f"libzmq {zmq.zmq_version()}, backend {zmq.backend.__impl__}")
    print(f"Python {sys.version.split()[0]} ({sys.implementation.name})")
    print("build info:")
    print("\n".join(_build_info_lines()))
    caps = ", ".join(f"{cap}={'yes' if zmq.has(cap) else 'no'}" for cap in _CAPABILITIES)
    print(f"capabilities: {caps}")
    print(f"draft API: {'on' if zmq.DRAFT_API else 'off'} (zmq.DRAFT_API)")
    failed = False
    with zmq.Context() as ctx:
        for url in ("tcp://127.0.0.1:*", "inproc://zmq-self-test"):
            try:
                _round_trip(ctx, url)
            except Exception as e:
                failed = True
                print(f"self-test {url}: FAILED ({type(e).__name__}: {e})")
            else:
                print(f"self-test {url}: OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
