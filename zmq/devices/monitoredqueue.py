"""``monitored_queue(in_socket, out_socket, mon_socket, in_prefix=b"in",
out_prefix=b"out")``: a queue between two sockets (both may be ROUTERs) that publishes
every message on ``mon_socket`` prefixed by the side it came from."""

from __future__ import annotations

from zmq.backend import monitored_queue

__all__ = ["monitored_queue"]
