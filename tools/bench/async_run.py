"""Event-loop workloads (zmq.asyncio, ZMQStream, zmq.green): ours against pyzmq, interleaved.

usage: python tools/bench/async_run.py [--rounds N] [--scale F] [--impl LIST] [--only TEXT]
                                       [--metric wall|cpu]

Every measurement is a fresh async_worker.py process; implementations alternate order each
round. Prints, per workload, each implementation's best rate, the ours/pyzmq ratio of the
best rounds and the spread (best/worst - 1) of each, and the load average before and after.
``--metric cpu`` rates per second of the measuring process's CPU time; latency (reqrep)
is then shown both ways, as is everything with ``--metric both``. Implementations and their interpreters are found as in run.py (same
options and environment variables).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # sibling module, not a package

WORKER = Path(__file__).resolve().parent / "async_worker.py"

# (workload, messages or round trips per measurement, issue target as ours/pyzmq rate)
# reqrep is judged by latency: always wall-clock
WORKLOADS: tuple[tuple[str, int, Optional[float]], ...] = (
    ("aio-pushpull-tcp", 30_000, 8.0),
    ("aio-pushpull-inproc", 30_000, 8.0),
    ("aio-reqrep-tcp", 5_000, 1 / 0.7),
    # the same with the REP end a thread of this process: 2 thread hops, not 6
    ("aio-reqrep-inproc", 10_000, 1 / 0.7),
    # the bounds of aio-reqrep-tcp (see async_worker.run_reqrep_bound): no targets
    ("floor-reqrep-tcp", 5_000, None),
    ("sync-reqrep-tcp", 5_000, None),
    ("aio-multipart-tcp", 20_000, 8.0),
    ("aio-poller-inproc", 3_000, 3.0),
    ("stream-pushpull-tcp", 30_000, 6.0),
    ("green-pushpull-tcp", 30_000, 4.0),
)
PAIRS = (("ours-cython", "pyzmq"), ("ours-cffi", "pyzmq"), ("ours-pypy-cffi", "pyzmq-pypy"))


def measure(impl: run.Impl, kind: str, count: int, timeout: float) -> tuple[dict[str, float], str]:
    """Rates by wall-clock and by CPU time ("wall", "cpu"), or an error."""
    # a long warm-up: PyPy's JIT compiles the event loop's paths after thousands of rounds
    cmd = [impl.command[0], str(WORKER), kind, str(count), str(max(count // 2, 200))]
    try:
        proc = subprocess.run(cmd, env=impl.env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {}, "timeout"
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {}, (proc.stderr.strip().splitlines() or ["no output"])[-1]
    if not result["ok"]:
        return {}, result["error"]
    n = result["count"]
    return {"wall": n / result["elapsed"], "cpu": n / max(result["cpu"], 1e-9)}, ""


def group_of(kind: str) -> str:
    return "reqrep" if "reqrep" in kind else kind


def groups(workloads: Sequence[tuple[str, int, Optional[float]]]) -> list[str]:
    return list(dict.fromkeys(group_of(kind) for kind, _, _ in workloads))


def print_reqrep_bounds(best: dict[str, dict[str, float]]) -> None:
    """Round-trip latency of each REQ/REP variant as a fraction of the baseline's asyncio
    latency: how far below pyzmq's asyncio the binding's layer, the least any asyncio
    binding must do (floor) and libzmq without an event loop (sync) get, wall-clock."""
    kinds = [k for k in ("aio-reqrep-tcp", "floor-reqrep-tcp", "sync-reqrep-tcp") if k in best]
    if "aio-reqrep-tcp" not in kinds or len(kinds) < 2:
        return
    lines = []
    for a, b in PAIRS:
        base = best["aio-reqrep-tcp"].get(b)
        if not base or a not in best["aio-reqrep-tcp"]:
            continue
        cells = [f"{k.split('-')[0]} {base / best[k][a]:.2f}" for k in kinds if a in best[k]]
        cells += [
            f"{b} {k.split('-')[0]} {base / best[k][b]:.2f}" for k in kinds[1:] if b in best[k]
        ]
        lines.append(f"  {a} vs {b} aio: " + ", ".join(cells))
    if lines:
        print("\nREQ/REP latency as a fraction of the baseline's zmq.asyncio latency (wall clock):")
        print("\n".join(lines))


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fmt(rates: list[float]) -> str:
    if not rates:
        return "n/a"
    spread = max(rates) / min(rates) - 1
    return f"{run.fmt_rate(max(rates))} ±{spread:.0%}"


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    run.add_impl_arguments(p)
    p.add_argument("--impl", default="ours-cython,ours-cffi,pyzmq,ours-pypy-cffi,pyzmq-pypy")
    p.add_argument("--only", action="append", default=[], help="workloads containing TEXT")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--timeout", type=float, default=120.0)
    p.add_argument(
        "--metric",
        choices=("wall", "cpu", "both"),
        default="wall",
        help="rates per wall-clock or CPU second, or a row of each (both)",
    )
    args = p.parse_args(argv)
    per = "wall-clock and CPU" if args.metric == "both" else args.metric
    print(f"# load average before: {loadavg()}; rates per {per} second")
    impls = [i for i in run.resolve_impls(run.parse_impls(args.impl), args) if i.name != "C"]
    for impl in impls:
        if impl.missing:
            print(f"# {impl.name}: n/a ({impl.missing})")
    impls = [i for i in impls if not i.missing]
    names = [i.name for i in impls]
    header = ["workload"] + names + [f"{a}/{b}" for a, b in PAIRS if a in names and b in names]
    print("| " + " | ".join(header + ["target"]) + " |")
    print("|" + "---|" * (len(header) + 1))
    selected = [w for w in WORKLOADS if not args.only or any(t in w[0] for t in args.only)]
    best: dict[str, dict[str, float]] = {}  # wall-clock: kind -> implementation -> rate
    # the REQ/REP workloads run interleaved, round by round: their ratios are compared
    for group in [[w for w in selected if group_of(w[0]) == g] for g in groups(selected)]:
        rates: dict[str, dict[str, dict[str, list[float]]]] = {
            kind: {m: {i.name: [] for i in impls} for m in ("wall", "cpu")} for kind, _, _ in group
        }
        errors: dict[str, dict[str, str]] = {kind: {} for kind, _, _ in group}
        for rnd in range(args.rounds):
            for kind, count, _ in group:
                for impl in impls if rnd % 2 == 0 else impls[::-1]:
                    if "pypy" in impl.name and kind.startswith("green"):
                        continue  # gevent is not installed for PyPy
                    rate, error = measure(impl, kind, int(count * args.scale), args.timeout)
                    if error:
                        errors[kind][impl.name] = error
                    for m, value in rate.items():
                        rates[kind][m][impl.name].append(value)
        for kind, _, target in group:
            best[kind] = {n: max(r) for n, r in rates[kind]["wall"].items() if r}
            # latency is judged by wall-clock; with --metric cpu its CPU rates get a row too
            both = args.metric == "both" or "reqrep" in kind and args.metric == "cpu"
            metrics = ["wall", "cpu"] if both else None
            for m in metrics or ["wall" if "reqrep" in kind else args.metric]:
                row = rates[kind][m]
                label = f"{kind} ({m})" if metrics else kind
                cells = [label]
                cells += [fmt(row[n]) if row[n] else errors[kind].get(n, "n/a") for n in names]
                for a, b in PAIRS:
                    if a in names and b in names:
                        ok = row[a] and row[b]
                        cells.append(f"{max(row[a]) / max(row[b]):.2f}×" if ok else "n/a")
                cells.append("-" if target is None else f"≥ {target:.2f}×")
                print("| " + " | ".join(cells) + " |", flush=True)
    print_reqrep_bounds(best)
    print(
        "\nrates: messages (reqrep: round trips) per second, best of the rounds;"
        f" ±: best/worst - 1\n# load average after: {loadavg()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
