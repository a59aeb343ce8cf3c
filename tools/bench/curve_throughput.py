"""CURVE throughput of the installed ``zmq``: PUSH -> PULL over tcp on 127.0.0.1.

Run it with each build to compare (e.g. a bundled build with libsodium and one built with
``ZMQ_BUNDLED_CURVE=tweetnacl``)::

    python tools/bench/curve_throughput.py [--sizes 64,65536] [--seconds 2]

Prints one line per message size: messages/s and MB/s with CURVE, and without for reference.
"""

from __future__ import annotations

import argparse
import threading
import time

import zmq


def run(size: int, seconds: float, curve: bool) -> tuple[float, float]:
    """(messages per second, MB per second) for ``size``-byte messages for about ``seconds``."""
    with zmq.Context() as ctx:
        pull = ctx.socket(zmq.PULL)
        push = ctx.socket(zmq.PUSH)
        for s in (pull, push):
            s.linger = 0
            s.rcvtimeo = s.sndtimeo = 10_000
        if curve:
            server_public, server_secret = zmq.curve_keypair()
            client_public, client_secret = zmq.curve_keypair()
            pull.curve_server = True
            pull.curve_secretkey = server_secret
            pull.curve_publickey = server_public
            push.curve_serverkey = server_public
            push.curve_publickey = client_public
            push.curve_secretkey = client_secret
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push.connect(f"tcp://127.0.0.1:{port}")
        payload = b"x" * size
        push.send(payload)  # handshake done once this arrives
        pull.recv()
        stop = threading.Event()
        sent = [0]

        def sender() -> None:
            while not stop.is_set():
                for _ in range(100):
                    push.send(payload, copy=size < 65536)
                sent[0] += 100
            push.send(b"")  # end marker

        thread = threading.Thread(target=sender)
        count = 0
        start = time.perf_counter()
        thread.start()
        deadline = start + seconds
        while True:
            msg = pull.recv(copy=False)
            if len(msg) == 0:
                break
            count += 1
            if count % 100 == 0 and time.perf_counter() >= deadline:
                stop.set()
        elapsed = time.perf_counter() - start
        thread.join()
        pull.close()
        push.close()
    return count / elapsed, count * size / elapsed / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="64,65536")
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    try:
        from zmq._build_info import BUILD_INFO
    except ImportError:
        BUILD_INFO = {}
    print(
        f"zmq {zmq.__version__} from {zmq.__file__}: libzmq {zmq.zmq_version()} "
        f"({BUILD_INFO.get('kind', '?')}), libsodium {BUILD_INFO.get('libsodium')}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        curve_rate, curve_mb = run(size, args.seconds, True)
        plain_rate, plain_mb = run(size, args.seconds, False)
        print(
            f"{size:>7} B  curve {curve_rate:>10.0f} msg/s {curve_mb:>8.1f} MB/s   "
            f"plain {plain_rate:>10.0f} msg/s {plain_mb:>8.1f} MB/s"
        )


if __name__ == "__main__":
    main()
