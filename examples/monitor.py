"""Socket monitoring: watch connection events of a socket.

``Socket.get_monitor_socket()`` returns a PAIR socket that receives one two-frame
message per event; ``zmq.utils.monitor.recv_monitor_message`` decodes it into a dict
with ``event`` (a ``zmq.Event``), ``value`` and ``endpoint``.
"""

from __future__ import annotations

import zmq
from zmq.utils.monitor import recv_monitor_message


def main() -> None:
    with zmq.Context() as ctx, ctx.socket(zmq.PULL) as server:
        port = server.bind_to_random_port("tcp://127.0.0.1")
        monitor = server.get_monitor_socket(zmq.EVENT_ACCEPTED | zmq.EVENT_DISCONNECTED)
        monitor.rcvtimeo = 10_000
        client = ctx.socket(zmq.PUSH)
        client.connect(f"tcp://127.0.0.1:{port}")
        seen = []
        while zmq.EVENT_DISCONNECTED not in seen:
            event = recv_monitor_message(monitor)
            seen.append(event["event"])
            print(zmq.Event(event["event"]).name, event["endpoint"].decode())
            if event["event"] == zmq.EVENT_ACCEPTED:
                client.close(linger=0)  # the server sees the peer go away
        server.disable_monitor()
        monitor.close()


if __name__ == "__main__":
    main()
