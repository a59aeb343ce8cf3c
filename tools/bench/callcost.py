"""Instructions per message, per implementation and per function, under callgrind.

usage: python tools/bench/callcost.py [--impl LIST] [--only TEXT] [--top N] [--inclusive]

Runs the single-thread workloads of worker.py / zmqbench.c (both ends in one thread, in
batches) under `valgrind --tool=callgrind` twice, with COUNT and 2*COUNT messages; the
difference divided by COUNT is the cost of one message (send + receive), free of start-up,
warm-up and scheduling noise. Instruction counts do not depend on machine load, so this
works where timings do not. Prints the total per message and the functions that cost most
per message. Implementations are found as in run.py (same options).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import run  # the sibling run.py: this script's folder is sys.path[0]

WORKLOADS = (
    ("st-pushpull", "inproc", 64, 1),
    ("st-pushpull", "inproc", 64, 0),
    ("st-pushpull", "inproc", 1024, 1),
    ("st-pushpull", "inproc", 1024, 0),
    ("st-pushpull", "inproc", 65536, 0),
    ("st-multipart", "inproc", 64, 1),
    ("st-pushpull", "tcp", 64, 1),
)
LINE = re.compile(r"^\s*([\d,]+)\s+(?:\([\s\d.]+%\)\s+)?(\S.*?)\s*$")


def function_costs(path: Path, inclusive: bool) -> tuple[int, dict[str, int]]:
    """Total instructions and the cost of each function in one callgrind output file."""
    proc = subprocess.run(
        [
            "callgrind_annotate",
            "--inclusive=" + ("yes" if inclusive else "no"),
            "--threshold=100",
            "--auto=no",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    total = 0
    costs: dict[str, int] = {}
    for line in proc.stdout.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        value, name = int(m.group(1).replace(",", "")), m.group(2)
        if name.startswith("PROGRAM TOTALS"):
            total = value
        elif ":" in name or "[" in name:
            costs[name] = costs.get(name, 0) + value
    return total, costs


def measure(
    impl: run.Impl, workload: tuple[str, str, int, int], count: int, tmp: Path
) -> list[Path]:
    kind, transport, size, copy = workload
    results = []
    for n in (count, 2 * count):
        out = tmp / f"{impl.name}-{kind}-{transport}-{size}-{copy}-{n}.out"
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--smc-check=all-non-file",  # PyPy's JIT writes code at run time
            f"--callgrind-out-file={out}",
            *impl.command,
            kind,
            transport,
            str(size),
            str(n),
            "1000",
            str(copy),
        ]
        proc = subprocess.run(cmd, env=impl.env, capture_output=True, text=True, timeout=900)
        if proc.returncode != 0 or '"ok": true' not in proc.stdout:
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-1:]
            raise RuntimeError(f"{impl.name}: {' '.join(cmd[4:])}: {tail}")
        results.append(out)
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--impl", default="cpython,c")
    p.add_argument("--only", action="append", default=[])
    p.add_argument("--count", type=int, default=20000)
    p.add_argument("--top", type=int, default=12, help="functions listed per measurement")
    p.add_argument("--inclusive", action="store_true", help="inclusive instead of self cost")
    run.add_impl_arguments(p)
    args = p.parse_args(argv)
    impls = run.resolve_impls(run.parse_impls(args.impl), args)
    loads = [w for w in WORKLOADS if all(o in " ".join(map(str, w)) for o in args.only)]
    with tempfile.TemporaryDirectory(prefix="callcost-") as tmpdir:
        for load in loads:
            kind, transport, size, copy = load
            print(f"== {kind} {transport} {run.fmt_size(size)} {'copy' if copy else 'nocopy'}")
            for impl in impls:
                if impl.missing:
                    print(f"  {impl.name}: n/a: {impl.missing}")
                    continue
                try:
                    small, big = measure(impl, load, args.count, Path(tmpdir))
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    print(f"  {impl.name}: error: {exc}")
                    continue
                total_s, costs_s = function_costs(small, args.inclusive)
                total_b, costs_b = function_costs(big, args.inclusive)
                per_msg = (total_b - total_s) / args.count
                print(f"  {impl.name}: {per_msg:,.0f} instructions per message")
                diffs = {
                    name: (costs_b.get(name, 0) - costs_s.get(name, 0)) / args.count
                    for name in set(costs_b) | set(costs_s)
                }
                for name, cost in sorted(diffs.items(), key=lambda kv: -kv[1])[: args.top]:
                    print(f"      {cost:9,.0f}  {name[:140]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
