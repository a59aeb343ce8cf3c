"""REQ/REP, client side: send ``N`` requests to a server and print the replies.

A REQ socket strictly alternates send and recv. ``RCVTIMEO`` bounds the wait, so a
missing server gives ``zmq.Again`` instead of a hang::

    python reqrep_client.py tcp://127.0.0.1:PORT --requests 3
"""

from __future__ import annotations

import argparse
import sys

import zmq


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint", help="the server's endpoint, e.g. tcp://127.0.0.1:5555")
    parser.add_argument("--requests", type=int, default=3, help="requests to send")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait per reply")
    args = parser.parse_args()

    with zmq.Context() as ctx, ctx.socket(zmq.REQ) as sock:
        sock.rcvtimeo = int(args.timeout * 1000)
        sock.linger = 0
        sock.connect(args.endpoint)
        for i in range(args.requests):
            sock.send_string(f"hello {i}")
            try:
                print("reply:", sock.recv_string())
            except zmq.Again:
                sys.exit(f"no reply from {args.endpoint} within {args.timeout} s")


if __name__ == "__main__":
    main()
