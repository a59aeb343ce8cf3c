"""PUSH/PULL pipeline: a ventilator fans tasks out to workers, a sink collects results.

PUSH distributes messages round-robin over the connected PULL peers; PULL fair-queues
from every PUSH peer. The workers here are threads sharing one Context (sockets are not
thread-safe, so each thread has its own).
"""

from __future__ import annotations

import argparse
import threading

import zmq


def worker(ctx: zmq.Context, tasks: str, results: str) -> None:
    with ctx.socket(zmq.PULL) as pull, ctx.socket(zmq.PUSH) as push:
        pull.connect(tasks)
        push.connect(results)
        push.send_json(["ready"])  # both sockets are connected now
        while True:
            n = pull.recv_json()
            if n is None:  # poison pill: stop
                return
            push.send_json([n, n * n])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=20)
    args = parser.parse_args()

    with zmq.Context() as ctx, ctx.socket(zmq.PUSH) as vent, ctx.socket(zmq.PULL) as sink:
        # inproc: bind before connect (libzmq >= 4 also allows the other order)
        vent.bind("inproc://tasks")
        sink.bind("inproc://results")
        sink.rcvtimeo = 10_000
        threads = [
            threading.Thread(target=worker, args=(ctx, "inproc://tasks", "inproc://results"))
            for _ in range(args.workers)
        ]
        for t in threads:
            t.start()
        for _ in threads:
            assert sink.recv_json() == ["ready"]
        # every worker is connected, so PUSH deals the tasks (and the stops) out evenly
        for n in range(args.tasks):
            vent.send_json(n)
        squares = dict(sink.recv_json() for _ in range(args.tasks))
        for _ in threads:
            vent.send_json(None)
        for t in threads:
            t.join()
        total = sum(squares.values())
        assert total == sum(n * n for n in range(args.tasks))
        print(f"{args.workers} workers squared {len(squares)} numbers, sum {total}")


if __name__ == "__main__":
    main()
