"""Soak: many messages over each transport in one process, watching RSS (not in CI).

    python tools/bench/run.py --soak                 # 10^7 messages per transport
    python tools/bench/run.py --soak --soak-count 1000000 --soak-size 64

Runs with whatever zmq the interpreter imports (PYZMQ_BACKEND picks the backend). For
each transport a PUSH thread streams `count` messages (copy, then zero-copy for every
other batch) to a PULL socket in the main thread; RSS is sampled after a warm-up tenth
and at the end. Prints one line per transport; exit status 1 if any grew by 5 MB or more.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time

LIMIT_KB = 5 * 1024
BATCH = 10_000


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def soak_one(transport: str, count: int, size: int) -> dict[str, float]:
    import zmq

    ctx = zmq.Context()
    pull = ctx.socket(zmq.PULL)
    push = ctx.socket(zmq.PUSH)
    tmp = None
    if transport == "tcp":
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        push.connect(f"tcp://127.0.0.1:{port}")
    elif transport == "ipc":
        tmp = tempfile.mkdtemp()
        pull.bind(f"ipc://{tmp}/soak")
        push.connect(f"ipc://{tmp}/soak")
    else:
        pull.bind("inproc://soak")
        push.connect("inproc://soak")
    payload = b"x" * size
    shared = bytearray(payload)

    def produce() -> None:
        for start in range(0, count, BATCH):
            n = min(BATCH, count - start)
            if (start // BATCH) % 2:
                for _ in range(n):
                    push.send(shared, copy=False)
            else:
                for _ in range(n):
                    push.send(payload)

    producer = threading.Thread(target=produce)
    began = time.perf_counter()
    producer.start()
    rss_start = 0
    for i in range(count):
        if i == count // 10:
            rss_start = rss_kb()
        if len(pull.recv()) != size:
            raise AssertionError("truncated message")
    producer.join()
    seconds = time.perf_counter() - began
    rss_end = rss_kb()
    push.close()
    pull.close()
    ctx.term()
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"seconds": seconds, "rss_start_kb": rss_start, "growth_kb": rss_end - rss_start}


def main(count: int = 10_000_000, size: int = 64) -> int:
    import zmq

    print(
        f"soak: {count} messages of {size} B per transport, zmq {zmq.__version__}, "
        f"backend {zmq.backend.__impl__}"
    )
    worst = 0
    for transport in ("inproc", "ipc", "tcp"):
        r = soak_one(transport, count, size)
        worst = max(worst, int(r["growth_kb"]))
        print(
            f"{transport:7} {count / r['seconds']:>10,.0f} msg/s  {r['seconds']:6.1f} s  "
            f"RSS {r['rss_start_kb'] / 1024:6.1f} MB, growth {r['growth_kb'] / 1024:+6.2f} MB",
            flush=True,
        )
    print("OK" if worst < LIMIT_KB else f"FAIL: RSS grew by {worst / 1024:.1f} MB")
    return 0 if worst < LIMIT_KB else 1
