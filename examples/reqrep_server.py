"""REQ/REP, server side: answer ``N`` requests, then exit.

Binds to a port the system picks (or ``--port``) and prints the endpoint on its first
line, so a client can be started with it::

    python reqrep_server.py --requests 3          # prints: listening on tcp://127.0.0.1:PORT
    python reqrep_client.py tcp://127.0.0.1:PORT --requests 3
"""

from __future__ import annotations

import argparse

import zmq


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: any free one)")
    parser.add_argument("--requests", type=int, default=3, help="requests to answer")
    args = parser.parse_args()

    with zmq.Context() as ctx, ctx.socket(zmq.REP) as sock:
        if args.port:
            sock.bind(f"tcp://127.0.0.1:{args.port}")
        else:
            sock.bind("tcp://127.0.0.1:0")
        # LAST_ENDPOINT: the address actually bound, with the port the system chose
        print("listening on", sock.last_endpoint.decode(), flush=True)
        for _ in range(args.requests):
            request = sock.recv_string()
            sock.send_string(request.upper())
        print("served", args.requests, "requests")


if __name__ == "__main__":
    main()
