"""gevent-cooperative sockets, socket monitoring and the z85/jsonapi helpers."""

from __future__ import annotations

import threading

import zmq
import zmq.green
from zmq.utils import jsonapi, z85
from zmq.utils.monitor import recv_monitor_message


def green_echo(n: int) -> list[bytes]:
    ctx = zmq.green.Context()
    a = ctx.socket(zmq.PAIR)
    b = ctx.socket(zmq.PAIR)
    a.bind("inproc://green")
    b.connect("inproc://green")
    out: list[bytes] = []
    for i in range(n):
        a.send(zmq.green.Frame(str(i).encode()))
        msg = b.recv()
        out.append(msg if isinstance(msg, bytes) else msg.bytes)
    poller = zmq.green.Poller()
    poller.register(b, zmq.POLLIN)
    print(poller.poll(10))
    a.close()
    b.close()
    ctx.term()
    return out


def watch(sock: zmq.Socket[bytes], stop: threading.Event) -> None:
    monitor = sock.get_monitor_socket()
    while not stop.is_set():
        if monitor.poll(100):
            event = recv_monitor_message(monitor)
            print(zmq.Event(event["event"]).name, event["endpoint"], event["value"])
    monitor.close()


def main() -> None:
    print(green_echo(3))
    public, secret = zmq.curve_keypair()
    raw = z85.decode(public)
    assert z85.encode(raw) == public and zmq.curve_public(secret) == public
    doc = jsonapi.loads(jsonapi.dumps({"n": 1}))
    print(doc, zmq.zmq_version(), zmq.pyzmq_version(), zmq.has("curve"))
    ctx: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    stop = threading.Event()
    t = threading.Thread(target=watch, args=(sock, stop))
    t.start()
    sock.bind("tcp://127.0.0.1:*")
    stop.set()
    t.join()
    sock.close()
    try:
        sock.send(b"closed")
    except zmq.ZMQError as e:
        print("as expected:", e.errno == zmq.ENOTSOCK, e)


if __name__ == "__main__":
    main()
