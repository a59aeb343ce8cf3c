"""PUB/SUB with topics: a publisher thread and a subscriber that filters by prefix.

A subscription takes a moment to reach the publisher; messages published before it
arrives are dropped (the "slow joiner"). An XPUB socket sees the subscription
arrive as a message, so the publisher starts only when someone listens.
"""

from __future__ import annotations

import argparse
import threading

import zmq


def publish(ctx: zmq.Context, endpoint: str, count: int) -> None:
    with ctx.socket(zmq.XPUB) as pub:
        pub.connect(endpoint)
        # the first message on an XPUB is a subscription: b"\x01" + topic
        subscription = pub.recv()
        assert subscription[0] == 1, subscription
        for i in range(count):
            pub.send_multipart([b"weather", f"{20 + i} C".encode()])
            pub.send_multipart([b"sports", f"score {i}".encode()])  # filtered out
        pub.send_multipart([b"weather", b"END"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5, help="messages per topic")
    args = parser.parse_args()

    with zmq.Context() as ctx, ctx.socket(zmq.SUB) as sub:
        sub.rcvtimeo = 10_000
        port = sub.bind_to_random_port("tcp://127.0.0.1")
        sub.subscribe(b"weather")
        publisher = threading.Thread(
            target=publish, args=(ctx, f"tcp://127.0.0.1:{port}", args.count)
        )
        publisher.start()
        received = 0
        while True:
            topic, body = sub.recv_multipart()
            if body == b"END":
                break
            print(topic.decode(), body.decode())
            received += 1
        publisher.join()
        print("received", received, "weather updates")


if __name__ == "__main__":
    main()
