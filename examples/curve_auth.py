"""CURVE encryption and ZAP authentication with certificate files.

The server allows only clients whose public key is in a directory of certificates;
``zmq.auth.thread.ThreadAuthenticator`` answers libzmq's ZAP requests from a
background thread. Needs a libzmq with CURVE (``zmq.has("curve")``).
"""

from __future__ import annotations

import os
import sys
import tempfile

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator


def main() -> None:
    if not zmq.has("curve"):
        sys.exit("this libzmq has no CURVE support")
    with tempfile.TemporaryDirectory() as keys:
        server_public_file, server_secret_file = zmq.auth.create_certificates(keys, "server")
        client_public_file, client_secret_file = zmq.auth.create_certificates(keys, "client")
        allowed = os.path.join(keys, "allowed")
        os.mkdir(allowed)
        os.replace(client_public_file, os.path.join(allowed, "client.key"))

        ctx = zmq.Context()
        auth = ThreadAuthenticator(ctx)
        auth.start()
        auth.allow("127.0.0.1")
        auth.configure_curve(domain="*", location=allowed)

        server = ctx.socket(zmq.REP)
        server.curve_publickey, server.curve_secretkey = zmq.auth.load_certificate(
            server_secret_file
        )
        server.curve_server = True
        port = server.bind_to_random_port("tcp://127.0.0.1")

        client = ctx.socket(zmq.REQ)
        client.curve_publickey, client.curve_secretkey = zmq.auth.load_certificate(
            client_secret_file
        )
        # the client must know the server's public key in advance
        client.curve_serverkey, _ = zmq.auth.load_certificate(server_public_file)
        client.rcvtimeo = 10_000
        client.connect(f"tcp://127.0.0.1:{port}")

        client.send(b"secret hello")
        print("server got:", server.recv().decode())
        server.send(b"welcome")
        print("client got:", client.recv().decode())

        client.close()
        server.close()
        auth.stop()
        ctx.term()


if __name__ == "__main__":
    main()
