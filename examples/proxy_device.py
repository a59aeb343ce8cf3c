"""A ROUTER/DEALER broker on a background device, with REQ clients and REP workers.

``zmq.devices.ThreadDevice(zmq.QUEUE, ...)`` runs ``zmq.proxy`` between its two sockets
in a daemon thread: clients connect to the frontend, workers to the backend, and the
broker load-balances requests over the workers.
"""

from __future__ import annotations

import argparse
import threading

import zmq
from zmq.devices import ThreadDevice


def worker(ctx: zmq.Context, endpoint: str, name: str, stop: threading.Event) -> None:
    with ctx.socket(zmq.REP) as sock:
        sock.connect(endpoint)
        while not stop.is_set():
            if sock.poll(100):
                request = sock.recv_string()
                sock.send_string(f"{request} handled by {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4)
    args = parser.parse_args()

    device = ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)
    front = device.bind_in_to_random_port("tcp://127.0.0.1")
    back = device.bind_out_to_random_port("tcp://127.0.0.1")
    device.start()

    ctx = zmq.Context()
    stop = threading.Event()
    workers = [
        threading.Thread(target=worker, args=(ctx, f"tcp://127.0.0.1:{back}", f"w{i}", stop))
        for i in range(2)
    ]
    for t in workers:
        t.start()
    with ctx.socket(zmq.REQ) as client:
        client.rcvtimeo = 10_000
        client.connect(f"tcp://127.0.0.1:{front}")
        for i in range(args.requests):
            client.send_string(f"request {i}")
            print(client.recv_string())
    stop.set()
    for t in workers:
        t.join()
    ctx.term()


if __name__ == "__main__":
    main()
