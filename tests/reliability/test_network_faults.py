"""Real network faults between two network namespaces made by the test: a veth link cut
and restored with ``ip link set down/up``, a peer's namespace removed and made again.
Each end runs in its own child process inside its namespace, under the watchdog.

The heartbeats (scenarios.HEARTBEAT: a ping every 100 ms, 500 ms without an answer
drops the connection) and the 100 ms reconnect interval set the times checked here;
the margins allow for a loaded 2-core machine.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from reliability import scenarios
from reliability.harness import Peer

import zmq

# addresses of the /30 that exists only on the veth pair between the two namespaces
A_ADDRESS, B_ADDRESS = "10.200.0.1", "10.200.0.2"
DETECT = (scenarios.HEARTBEAT["ivl"] + scenarios.HEARTBEAT["timeout"]) / 1000 + 1.5
RECONNECT = scenarios.RECONNECT_IVL / 1000 + 1.5
NAME_PREFIX = "zmqtest"

_names = itertools.count()


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10, check=check)


def _remove_stale() -> None:
    """Namespaces left by an earlier run that was killed (its pid is gone)."""
    for line in ip("netns", "list").stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith(NAME_PREFIX):
            pid = name[len(NAME_PREFIX) :].split("-")[0]
            if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
                ip("netns", "del", name, check=False)


class Link:
    """Two namespaces a and b joined by a veth pair (a: veth0, b: veth1)."""

    def __init__(self) -> None:
        n = next(_names)
        self.a = f"{NAME_PREFIX}{os.getpid()}-{n}a"
        self.b = f"{NAME_PREFIX}{os.getpid()}-{n}b"
        self.peers: list[Peer] = []

    def make_b(self) -> None:
        ip("netns", "add", self.b)
        ip("-n", self.b, "link", "set", "lo", "up")
        ip(
            "-n",
            self.a,
            "link",
            "add",
            "veth0",
            "type",
            "veth",
            "peer",
            "name",
            "veth1",
            "netns",
            self.b,
        )
        ip("-n", self.a, "addr", "add", f"{A_ADDRESS}/30", "dev", "veth0")
        ip("-n", self.b, "addr", "add", f"{B_ADDRESS}/30", "dev", "veth1")
        ip("-n", self.b, "link", "set", "veth1", "up")
        ip("-n", self.a, "link", "set", "veth0", "up")

    def remove_b(self) -> None:
        """The host b disappears: its link first (no FIN reaches a), then its processes
        and its namespace. (The kernel frees that namespace only once the killed
        process's orphaned TCP sockets give up; deleting the veth does not wait for it.)"""
        ip("-n", self.b, "link", "del", "veth1")
        for peer in self.peers:
            if peer.netns == self.b:
                peer.kill()
        ip("netns", "del", self.b)

    def set(self, ns: str, state: str) -> float:
        """Bring the namespace's end of the link down or up; returns when (monotonic)."""
        ip("-n", ns, "link", "set", "veth0" if ns == self.a else "veth1", state)
        return time.monotonic()

    def start(self, ns: str, name: str, *args: Any) -> Peer:
        peer = Peer(name, *args, prefix=["ip", "netns", "exec", ns])
        peer.netns = ns
        self.peers.append(peer)
        return peer


@pytest.fixture
def link() -> Iterator[Link]:
    if shutil.which("ip") is None:
        pytest.skip("ip (iproute2) is not installed")
    _remove_stale()
    pair = Link()
    made = ip("netns", "add", pair.a, check=False)
    if made.returncode != 0:
        if "permitted" in made.stderr or "denied" in made.stderr:
            pytest.skip(f"network namespaces not permitted here: {made.stderr.strip()}")
        raise AssertionError(f"ip netns add failed: {made.stderr}")
    try:
        ip("-n", pair.a, "link", "set", "lo", "up")
        pair.make_b()
        yield pair
    finally:
        for peer in pair.peers:
            if peer.child.poll() is None:
                peer.kill()
        ip("netns", "del", pair.a, check=False)
        ip("netns", "del", pair.b, check=False)


def test_req_rep_lazy_pirate_survives_cut_and_host_loss(link: Link) -> None:
    server = link.start(link.b, "net_rep", B_ADDRESS, 0)
    port = int(server.expect("PORT", 15)[0])
    client = link.start(link.a, "net_lazy_pirate", f"tcp://{B_ADDRESS}:{port}", 300, 40)
    client.expect("REPLY", 15)

    link.set(link.a, "down")
    client.expect("RETRY", 10)
    client.expect("RETRY", 10)
    restored = link.set(link.a, "up")
    after_cut = float(client.expect("REPLY", 10)[1]) - restored

    link.remove_b()
    client.expect("RETRY", 10)
    client.expect("RETRY", 10)
    link.make_b()
    restarted = time.monotonic()
    server = link.start(link.b, "net_rep", B_ADDRESS, port)
    server.expect("PORT", 15)
    after_loss = float(client.expect("REPLY", 15)[1]) - restarted
    for _ in range(5):
        client.expect("REPLY", 10)

    result = client.finish(15).result
    server.finish(15)
    print(
        f"REQ/REP: first reply {after_cut:.2f} s after the link came back, "
        f"{after_loss:.2f} s after the server's host restarted; {result}"
    )
    assert after_cut < 0.3 + RECONNECT
    assert after_loss < 0.3 + RECONNECT + 5  # includes starting the new server
    # two retries while the link was down, a few more while the host restarted
    assert result["most_retries"] <= 20


def test_push_pull_delivers_what_was_queued_during_a_cut(link: Link) -> None:
    before, window, queued = 100, 100, 500
    pull = link.start(link.b, "net_pull", B_ADDRESS)
    port = int(pull.expect("PORT", 15)[0])
    push = link.start(link.a, "net_push", f"tcp://{B_ADDRESS}:{port}", before, window, queued)
    pull.expect("GOT", 15)
    while int(pull.expect("GOT", 15)[0]) < before - 1:
        pass

    cut = link.set(link.a, "down")
    push.send("cut")
    push.expect("QUEUED", 15)
    # both ends have dropped the dead connection before the link returns
    while pull.expect("EVENT", 15)[0] != "DISCONNECTED":
        pass
    restored = link.set(link.a, "up")

    pushed = push.finish(20).result
    received = pull.finish(20).result["received"]
    detected = pushed["disconnected"] - cut
    reconnected = pushed["reconnected"] - restored
    lost = [n for n in range(before + window) if n not in set(received)]
    print(
        f"PUSH/PULL: cut noticed after {detected:.2f} s, reconnected {reconnected:.2f} s "
        f"after the link came back; {len(received)} delivered, lost in flight at the cut: "
        f"{len(lost)} of {window}"
    )
    assert received == sorted(set(received))  # no duplicates, in order
    # everything sent before the cut and everything queued after it was noticed arrives
    assert set(range(before)) <= set(received)
    assert set(range(before + window, before + window + queued)) <= set(received)
    assert all(before <= n < before + window for n in lost)
    assert detected < DETECT
    assert reconnected < RECONNECT


def test_pub_sub_reconnects_after_a_cut_and_measures_the_loss(link: Link) -> None:
    interval = 0.002
    pub = link.start(link.b, "net_pub", B_ADDRESS, interval)
    port = int(pub.expect("PORT", 15)[0])
    sub = link.start(link.a, "net_sub", f"tcp://{B_ADDRESS}:{port}")
    sub.expect("FIRST", 15)

    cut = link.set(link.a, "down")
    while (event := sub.expect("EVENT", 15))[0] != "DISCONNECTED":
        pass
    detected = float(event[1]) - cut
    while pub.expect("EVENT", 15)[0] != "DISCONNECTED":
        pass
    restored = link.set(link.a, "up")
    # the first message may be said before the handshake's monitor event
    seen: dict[str, list[str]] = {}
    while len(seen) < 2:
        word, fields = sub.expect_any(["EVENT", "FIRST"], 15)
        if word == "FIRST" or fields[0] == "HANDSHAKE_SUCCEEDED":
            seen[word] = fields
    reconnected = float(seen["EVENT"][1]) - restored
    first_after = seen["FIRST"]
    receiving = float(first_after[1]) - restored

    got = sub.finish(15).result
    published = pub.finish(15).result["published"]
    lost = sum(b - a - 1 for a, b in got["gaps"])
    print(
        f"PUB/SUB: cut noticed after {detected:.2f} s, reconnected {reconnected:.2f} s and "
        f"receiving {receiving:.2f} s after the link came back (down {restored - cut:.2f} s); "
        f"lost {lost} of {published} published (one every {interval * 1000:.0f} ms), "
        f"gaps {got['gaps']}"
    )
    assert got["backend"] == zmq.backend.__impl__  # PYZMQ_BACKEND reached the namespace
    assert detected < DETECT
    assert reconnected < RECONNECT
    assert receiving < RECONNECT + 0.5
    assert len(got["gaps"]) == 1 and got["gaps"][0][1] == int(first_after[0])
    assert all(b > a for a, b in got["gaps"])  # nothing duplicated or reordered
    assert got["last"] - got["first"] + 1 - lost == got["received"]
