"""Print a new CURVE key pair, or the public key that belongs to a given secret key.

Both keys are printed as Z85 text (40 printable ASCII characters each), in the layout of
libzmq's curve_keygen tool, or as a JSON object with ``--json``. ``--secret KEY`` prints
KEY with its public key instead of a new pair. Nothing is written to files: use
:func:`zmq.auth.certs.create_certificates` for certificate files.

Run it as ``python -m zmq.curve_keygen [--json] [--secret KEY]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

import zmq


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 -m zmq.curve_keygen",
        description="Print a new CURVE key pair (public and secret key, Z85 text), or with "
        "--secret the public key of an existing secret key. --json prints them as a "
        "JSON object.",
    )
    parser.add_argument("--json", action="store_true", help="print the keys as a JSON object")
    parser.add_argument(
        "--secret", type=str, help="derive the public key from this secret key (Z85)"
    )
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    opts = parser.parse_args(argv)
    try:
        if opts.secret:
            secret = opts.secret
            public = zmq.curve_public(secret.encode()).decode("ascii")
        else:
            public_key, secret_key = zmq.curve_keypair()
            public, secret = public_key.decode("ascii"), secret_key.decode("ascii")
    except (ValueError, zmq.ZMQError) as e:
        # a malformed --secret, or a libzmq without CURVE
        print(f"{parser.prog}: error: {e}", file=sys.stderr)
        return 1
    if opts.json:
        json.dump({"public": public, "secret": secret}, sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"== CURVE PUBLIC KEY ==\n{public}\n\n== CURVE SECRET KEY ==\n{secret}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
