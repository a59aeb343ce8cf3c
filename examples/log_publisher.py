"""Logging over PUB/SUB: ``zmq.log.handlers.PUBHandler`` publishes log records.

Each record is a multipart message ``[topic, text]`` where the topic is
``<root_topic>.<LEVEL>``. ``python -m zmq.log tcp://HOST:PORT`` is a ready-made
subscriber that prints them; this example subscribes itself.
"""

from __future__ import annotations

import logging

import zmq
from zmq.log.handlers import PUBHandler


def main() -> None:
    ctx = zmq.Context()
    pub = ctx.socket(zmq.XPUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    sub = ctx.socket(zmq.SUB)
    sub.rcvtimeo = 10_000
    sub.subscribe(b"")
    sub.connect(f"tcp://127.0.0.1:{port}")
    pub.recv()  # XPUB: wait for the subscription, so no record is dropped

    handler = PUBHandler(pub)
    handler.root_topic = "example"
    logger = logging.getLogger("example")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.info("service started")
    logger.warning("disk almost full")

    for _ in range(2):
        topic, text = sub.recv_multipart()
        print(topic.decode(), text.decode().strip())
    logger.removeHandler(handler)
    pub.close()
    sub.close()
    ctx.term()


if __name__ == "__main__":
    main()
