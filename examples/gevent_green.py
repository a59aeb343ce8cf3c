"""gevent: ``import zmq.green as zmq`` gives sockets that yield to other greenlets.

A blocking ``recv`` on a green socket waits cooperatively, so a server and a client
greenlet run concurrently in one thread. Needs gevent.
"""

from __future__ import annotations

import gevent

import zmq.green as zmq


def server(sock: zmq.Socket, count: int) -> None:
    for _ in range(count):
        sock.send_string(sock.recv_string().upper())


def main() -> None:
    ctx = zmq.Context()
    rep = ctx.socket(zmq.REP)
    port = rep.bind_to_random_port("tcp://127.0.0.1")
    req = ctx.socket(zmq.REQ)
    req.connect(f"tcp://127.0.0.1:{port}")
    serving = gevent.spawn(server, rep, 3)
    for word in ("one", "two", "three"):
        req.send_string(word)
        print("reply:", req.recv_string())
    serving.join(timeout=10)
    req.close()
    rep.close()
    ctx.term()


if __name__ == "__main__":
    main()
