"""Compare our zmq against pyzmq and libzmq's C API on the same workloads, in one run.

usage: python tools/bench/run.py [--quick] [--impl LIST] [--only TEXT] [--markdown] ...

Every measurement runs in a fresh subprocess: worker.py under each implementation's
interpreter, or zmqbench.c compiled here against the system libzmq. For each workload the
implementations run in alternating order for a number of rounds; the best (or median) rate
of each is reported, with ratios and the issue's targets. See README.md in this folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORKER = HERE / "worker.py"
C_SOURCE = HERE / "zmqbench.c"

SIZES = (1, 64, 1024, 65536, 1048576)
TRANSPORTS = ("inproc", "ipc", "tcp")
SMALL = 64  # bytes per message (per frame for multipart) in the small-message workloads
MULTIPART_FRAMES = 3  # must match worker.py and zmqbench.c

# Messages per measurement, sized so that pyzmq on CPython takes roughly 0.1-0.3 s on the
# reference machine (2 cores); faster implementations finish sooner, and PyPy's large
# copies take several times longer (which bounds the counts of large messages).
SMALL_COUNT = 100_000  # pushpull up to 1 KiB
# (size, copy, inproc) -> count for large pushpull messages
LARGE_COUNTS = {
    (65536, True, True): 8_000,
    (65536, False, True): 20_000,
    (65536, True, False): 3_000,
    (65536, False, False): 3_000,
    (1048576, True, True): 600,
    (1048576, False, True): 10_000,
    (1048576, True, False): 300,
    (1048576, False, False): 600,
}
MULTIPART_COUNT = 20_000
REQREP_COUNTS = {"inproc": 20_000, "ipc": 5_000, "tcp": 4_500}
PUBSUB_COUNT = 250_000

ALL_IMPLS = (
    "ours-cython",
    "ours-cffi",
    "base-cython",
    "base-cffi",
    "pyzmq",
    "ours-pypy-cffi",
    "pyzmq-pypy",
    "C",
)
IMPL_ALIASES = {
    "ours": ("ours-cython", "ours-cffi"),
    "pypy": ("ours-pypy-cffi", "pyzmq-pypy"),
    "cpython": ("ours-cython", "ours-cffi", "pyzmq"),
    "all": ALL_IMPLS,
    "c": ("C",),
    # before/after a change: this tree against the built tree given by --base-src
    "base": ("ours-cython", "ours-cffi", "base-cython", "base-cffi"),
}
SHORT = {
    "ours-cython": "cy",
    "ours-cffi": "cffi",
    "base-cython": "base-cy",
    "base-cffi": "base-cffi",
    "pyzmq": "pyzmq",
    "ours-pypy-cffi": "pp-cffi",
    "pyzmq-pypy": "pp-pyzmq",
    "C": "C",
}
# Ratio columns: (numerator, denominator).
RATIOS = (
    ("ours-cython", "pyzmq"),
    ("ours-cffi", "pyzmq"),
    ("ours-cython", "C"),
    ("pyzmq", "C"),
    ("ours-pypy-cffi", "pyzmq-pypy"),
    ("ours-cython", "base-cython"),
    ("ours-cffi", "base-cffi"),
)


@dataclass(frozen=True)
class Workload:
    kind: str  # pushpull | multipart | reqrep | pubsub
    transport: str
    size: int
    copy: bool
    count: int

    @property
    def name(self) -> str:
        if self.kind == "pushpull":
            return "pushpull {} {} {}".format(
                self.transport,
                fmt_size(self.size),
                "copy" if self.copy else "nocopy",
            )
        if self.kind == "multipart":
            return f"multipart {self.transport} {MULTIPART_FRAMES}x{fmt_size(self.size)}"
        return f"{self.kind} {self.transport} {fmt_size(self.size)}"

    @property
    def bytes_per_message(self) -> int:
        return self.size * (MULTIPART_FRAMES if self.kind == "multipart" else 1)

    def argv(self, scale: float) -> list[str]:
        count = max(int(self.count * scale), 20)
        warmup = min(max(count // 10, 1000), count)
        return [self.kind, self.transport, str(self.size), str(count), str(warmup)] + [
            str(int(self.copy))
        ]


def fmt_size(size: int) -> str:
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor}{unit}"
    return f"{size}B"


def all_workloads() -> list[Workload]:
    loads = [
        Workload(
            "pushpull", t, size, copy, LARGE_COUNTS.get((size, copy, t == "inproc"), SMALL_COUNT)
        )
        for t in TRANSPORTS
        for size in SIZES
        for copy in (True, False)
    ]
    for t in TRANSPORTS:
        loads.append(Workload("multipart", t, SMALL, True, MULTIPART_COUNT))
        loads.append(Workload("reqrep", t, SMALL, True, REQREP_COUNTS[t]))
        loads.append(Workload("pubsub", t, SMALL, True, PUBSUB_COUNT))
    return loads


@dataclass
class Impl:
    name: str
    command: list[str]  # prefix; the workload's argv follows
    env: dict[str, str]
    info: dict[str, Any] = field(default_factory=dict)
    missing: Optional[str] = None  # why it cannot run


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that chooses a zmq package or backend."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYZMQ_BACKEND")}
    env.update(extra)
    return env


def python_impl(
    name: str, python: str, backend: Optional[str], src: Optional[str], expect_ours: bool
) -> Impl:
    extra = {}
    if backend:
        extra["PYZMQ_BACKEND"] = backend
    if src:
        extra["PYTHONPATH"] = src
    impl = Impl(name, [python, str(WORKER)], clean_env(**extra))
    if not os.path.exists(python):
        impl.missing = f"no interpreter at {python}"
        return impl
    try:
        proc = subprocess.run(
            impl.command + ["--probe"],
            env=impl.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        impl.missing = "probe timed out"
        return impl
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines() or [f"exit {proc.returncode}"]
        impl.missing = "import zmq failed: " + lines[-1]
        return impl
    impl.info = json.loads(proc.stdout.strip().splitlines()[-1])["info"]
    # pyzmq reports 27.3.0, ours 27.3.0.N: guard against one shadowing the other.
    is_ours = impl.info["pyzmq_version"].count(".") >= 3
    if is_ours != expect_ours:
        impl.missing = "imported the wrong zmq: {} ({})".format(
            impl.info["zmq_file"],
            impl.info["pyzmq_version"],
        )
    elif backend and backend not in impl.info["backend"]:
        impl.missing = "asked for backend {}, got {}".format(backend, impl.info["backend"])
    return impl


def build_c(cache: Path) -> Impl:
    """Compiles zmqbench.c once per source version into the cache directory."""
    source = C_SOURCE.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    exe = cache / ("zmqbench-" + digest)
    impl = Impl("C", [str(exe)], clean_env())
    if not exe.exists():
        cache.mkdir(parents=True, exist_ok=True)
        flags = pkg_config("--cflags", "--libs") or ["-lzmq"]
        cc = os.environ.get("CC", "cc")
        tmp = exe.with_suffix(f".tmp{os.getpid()}")
        cmd = [cc, "-O2", "-o", str(tmp), str(C_SOURCE), *flags, "-lpthread"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            impl.missing = "compile failed: {}: {}".format(
                shlex.join(cmd),
                (proc.stderr.strip().splitlines() or ["?"])[-1],
            )
            return impl
        tmp.replace(exe)
    return impl


def pkg_config(*args: str) -> list[str]:
    try:
        proc = subprocess.run(["pkg-config", *args, "libzmq"], capture_output=True, text=True)
    except OSError:
        return []
    return proc.stdout.split() if proc.returncode == 0 else []


def base_impl(name: str, python: str, backend: str, src: Optional[str]) -> Impl:
    if not src:
        impl = Impl(name, [], {})
        impl.missing = "needs --base-src (a built checkout to compare against)"
        return impl
    return python_impl(name, python, backend, src, True)


def resolve_impls(names: Iterable[str], args: argparse.Namespace) -> list[Impl]:
    ours_python = args.ours_python or sys.executable
    # With the current interpreter, our package is the built source tree of this checkout.
    ours_src = args.ours_src or (None if args.ours_python else str(REPO))
    makers: dict[str, Callable[[], Impl]] = {
        "ours-cython": lambda: python_impl("ours-cython", ours_python, "cython", ours_src, True),
        "ours-cffi": lambda: python_impl("ours-cffi", ours_python, "cffi", ours_src, True),
        "base-cython": lambda: base_impl("base-cython", ours_python, "cython", args.base_src),
        "base-cffi": lambda: base_impl("base-cffi", ours_python, "cffi", args.base_src),
        "pyzmq": lambda: python_impl("pyzmq", args.pyzmq_python, None, None, False),
        "ours-pypy-cffi": lambda: python_impl(
            "ours-pypy-cffi", args.ours_pypy_python, "cffi", args.ours_pypy_src, True
        ),
        "pyzmq-pypy": lambda: python_impl("pyzmq-pypy", args.pyzmq_pypy_python, None, None, False),
        "C": lambda: build_c(Path(args.cache)),
    }
    return [makers[name]() for name in names]


def parse_impls(text: str) -> list[str]:
    names: list[str] = []
    for word in text.split(","):
        word = word.strip()
        expanded = IMPL_ALIASES.get(word.lower(), (word,))
        for name in expanded:
            if name not in ALL_IMPLS:
                raise SystemExit(
                    "unknown implementation {!r} (choose from {}, or {})".format(
                        name, ", ".join(ALL_IMPLS), ", ".join(IMPL_ALIASES)
                    )
                )
            if name not in names:
                names.append(name)
    return [n for n in ALL_IMPLS if n in names]


@dataclass
class Cell:
    # messages (or round trips) per second: by the chosen metric, per wall and per CPU second
    rates: list[float] = field(default_factory=list)
    wall_rates: list[float] = field(default_factory=list)
    cpu_rates: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def value(self, stat: str, wall: bool = False) -> Optional[float]:
        rates = self.wall_rates if wall else self.rates
        if not rates:
            return None
        return max(rates) if stat == "best" else statistics.median(rates)

    def spread(self, wall: bool = False) -> Optional[float]:
        """Relative distance between the best and worst round."""
        rates = self.wall_rates if wall else self.rates
        if len(rates) < 2:
            return None
        return max(rates) / min(rates) - 1


def run_one(impl: Impl, load: Workload, scale: float, timeout: float) -> tuple[float, float, str]:
    """Returns (messages per wall second, per process-CPU second, "") or (0, 0, error)."""
    cmd = impl.command + load.argv(scale)
    try:
        proc = subprocess.run(cmd, env=impl.env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 0.0, 0.0, f"timed out after {timeout:.0f} s"
    lines = proc.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return 0.0, 0.0, f"exit {proc.returncode}: {tail}"
    if not result.get("ok"):
        return 0.0, 0.0, result.get("error", "failed")
    impl.info.update(result["info"])
    count = result["count"]
    return count / max(result["elapsed"], 1e-9), count / max(result["cpu"], 1e-9), ""


def run_all(
    impls: list[Impl], loads: list[Workload], args: argparse.Namespace
) -> dict[str, dict[str, Cell]]:
    runnable = [i for i in impls if not i.missing]
    results: dict[str, dict[str, Cell]] = {}
    for n, load in enumerate(loads, 1):
        row = results.setdefault(load.name, {i.name: Cell() for i in runnable})
        for rnd in range(args.rounds):
            # Alternate the order so that no implementation always runs first or last.
            order = runnable if rnd % 2 == 0 else runnable[::-1]
            for impl in order:
                wall, cpu, error = run_one(impl, load, args.scale, args.timeout)
                cell = row[impl.name]
                if error:
                    cell.errors.append(error)
                else:
                    cell.wall_rates.append(wall)
                    cell.cpu_rates.append(cpu)
                    cell.rates.append(cpu if args.metric == "cpu" else wall)
        if not args.quiet:
            summary = "  ".join(
                f"{SHORT[name]}={fmt_rate(cell.value(args.stat))}" for name, cell in row.items()
            )
            print(f"[{n}/{len(loads)}] {load.name:28} {summary}", file=sys.stderr)
    return results


def fmt_rate(rate: Optional[float]) -> str:
    if rate is None:
        return "err"
    for unit, factor in (("M", 1e6), ("k", 1e3)):
        if rate >= factor:
            return f"{rate / factor:.3g}{unit}"
    return f"{rate:.3g}"


def fmt_ratio(ratio: Optional[float]) -> str:
    return "-" if ratio is None else f"{ratio:.2f}"


def ratio(
    row: dict[str, Cell], num: str, den: str, stat: str, wall: bool = False
) -> Optional[float]:
    """num's rate over den's, by the run's metric (or by wall-clock time)."""
    a = row[num].value(stat, wall) if num in row else None
    b = row[den].value(stat, wall) if den in row else None
    return a / b if a is not None and b else None


# --- targets (issues 3 and 4) ---


@dataclass(frozen=True)
class Target:
    label: str
    num: str
    den: str
    threshold: float
    applies: Callable[[Workload], bool]
    wall: bool = False  # judged by wall-clock rates whatever --metric says (latency)


TARGETS = (
    Target(
        "<=1KiB pushpull, every transport: cython >= 1.3x pyzmq",
        "ours-cython",
        "pyzmq",
        1.3,
        lambda w: w.kind == "pushpull" and w.size <= 1024,
    ),
    Target(
        "3-frame multipart: cython >= 3x pyzmq",
        "ours-cython",
        "pyzmq",
        3.0,
        lambda w: w.kind == "multipart",
    ),
    Target(
        "copy=False 64KiB/1MiB inproc: cython >= 5x pyzmq",
        "ours-cython",
        "pyzmq",
        5.0,
        lambda w: (
            w.kind == "pushpull" and not w.copy and w.transport == "inproc" and w.size >= 65536
        ),
    ),
    Target(
        ">=64KiB copy=True: cython >= 0.9x C",
        "ours-cython",
        "C",
        0.9,
        lambda w: w.kind == "pushpull" and w.copy and w.size >= 65536,
    ),
    Target(
        "every workload: cython >= 0.95x pyzmq",
        "ours-cython",
        "pyzmq",
        0.95,
        lambda w: True,
    ),
    Target(
        "every workload: cffi >= 0.95x pyzmq (CPython, informational)",
        "ours-cffi",
        "pyzmq",
        0.95,
        lambda w: True,
    ),
    Target(
        "REQ/REP latency (wall clock): cython no worse than pyzmq",
        "ours-cython",
        "pyzmq",
        1.0,
        lambda w: w.kind == "reqrep",
        wall=True,
    ),
    Target(
        "PyPy, every workload: ours-pypy-cffi >= pyzmq-pypy",
        "ours-pypy-cffi",
        "pyzmq-pypy",
        1.0,
        lambda w: True,
    ),
)


def check_targets(
    results: dict[str, dict[str, Cell]],
    loads: list[Workload],
    impls: list[Impl],
    stat: str,
) -> list[str]:
    by_name = {i.name: i for i in impls}
    lines = []
    for target in TARGETS:
        absent = [
            "{} {}".format(
                n, "not selected" if n not in by_name else "n/a: " + str(by_name[n].missing)
            )
            for n in (target.num, target.den)
            if n not in by_name or by_name[n].missing
        ]
        if absent:
            lines.append("n/a   {} ({})".format(target.label, "; ".join(absent)))
            continue
        checked = [
            (w, ratio(results[w.name], target.num, target.den, stat, target.wall)) for w in loads
        ]
        checked = [(w, r) for w, r in checked if target.applies(w)]
        if not checked:
            lines.append(f"n/a   {target.label} (no such workload selected)")
            continue
        missing = [w.name for w, r in checked if r is None]
        failing = [(w, r) for w, r in checked if r is not None and r < target.threshold]
        measured = [(w, r) for w, r in checked if r is not None]
        verdict = "FAIL" if failing or missing else "PASS"
        detail = f"{len(checked)} workloads"
        if measured:
            worst = min(measured, key=lambda wr: wr[1])
            detail += f", min {worst[1]:.2f}x ({worst[0].name})"
        lines.append(f"{verdict}  {target.label}: {detail}")
        for w, r in failing:
            noise = [results[w.name][n].spread(target.wall) for n in (target.num, target.den)]
            spread = max((s for s in noise if s is not None), default=None)
            noise_note = "" if spread is None else f"  (round spread {spread:.0%})"
            lines.append(f"        below: {w.name:28} {r:.2f}x{noise_note}")
        for name in missing:
            lines.append(f"        no result: {name}")
    return lines


# --- output ---


def table(header: list[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return out
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(
        "%-" + str(w) + "s" if i == 0 else "%" + str(w) + "s" for i, w in enumerate(widths)
    )
    return [fmt % tuple(r) for r in [header, *rows]]


def report(
    results: dict[str, dict[str, Cell]],
    loads: list[Workload],
    impls: list[Impl],
    args: argparse.Namespace,
    seconds: float,
) -> str:
    md = args.markdown
    run = [i for i in impls if not i.missing]
    out: list[str] = []
    quick = ", quick" if args.quick else ""
    title = (
        f"zmq benchmark: {args.stat} of {args.rounds} round(s), messages per"
        f" {'CPU' if args.metric == 'cpu' else 'wall'} second, {seconds:.0f} s{quick}"
    )
    out.append(("### " if md else "") + title)
    out.append("")
    cores = os.cpu_count() or 1
    busy = (
        " (more than the cores: other work competed, expect noise)"
        if max(args.load) > cores
        else ""
    )
    out.append(
        f"Load average {args.load[0]:.1f} before, {args.load[1]:.1f} after, {cores} cores{busy}."
    )
    out.append("")
    for impl in impls:
        if impl.missing:
            desc = "n/a: " + impl.missing
        elif impl.name == "C":
            desc = "libzmq C API, {}".format(impl.info.get("zmq_version", "?"))
        else:
            desc = "{implementation} {python_version}, zmq {pyzmq_version} (libzmq {zmq_version}), {backend}".format(
                **impl.info
            )
        out.append(("- " if md else "  ") + f"{impl.name}: {desc}")
    out.append("")

    ratio_cols = [
        (a, b) for a, b in RATIOS if any(i.name == a for i in run) and any(i.name == b for i in run)
    ]
    header = ["workload"] + [SHORT[i.name] + " msg/s" for i in run]
    header += [f"{SHORT[a]}/{SHORT[b]}" for a, b in ratio_cols]
    rows = []
    for w in loads:
        row = results[w.name]
        cells = [fmt_rate(row[i.name].value(args.stat)) for i in run]
        cells += [fmt_ratio(ratio(row, a, b, args.stat)) for a, b in ratio_cols]
        rows.append([w.name] + cells)
    out += table(header, rows, md)
    out.append("")

    header = ["workload (MB/s; reqrep: us per round trip)"] + [SHORT[i.name] for i in run]
    rows = []
    for w in loads:
        row = results[w.name]
        cells = []
        for i in run:
            v = row[i.name].value(args.stat)
            if v is None:
                cells.append("err")
            elif w.kind == "reqrep":
                cells.append(f"{1e6 / v:.1f} us")
            else:
                cells.append(f"{v * w.bytes_per_message / 1e6:.1f}")
        rows.append([w.name] + cells)
    out += table(header, rows, md)
    out.append("")

    errors = [
        "{} / {}: {}".format(w.name, name, "; ".join(sorted(set(cell.errors))))
        for w in loads
        for name, cell in results[w.name].items()
        if cell.errors
    ]
    if errors:
        out.append("**Errors**" if md else "Errors:")
        out += [("- " if md else "  ") + e for e in errors]
        out.append("")

    out.append("**Targets**" if md else "Targets:")
    target_lines = check_targets(results, loads, impls, args.stat)
    out += (["```"] + target_lines + ["```"]) if md else ["  " + t for t in target_lines]
    return "\n".join(out)


def add_impl_arguments(p: argparse.ArgumentParser) -> None:
    """Where each implementation is found (shared with callcost.py)."""
    env = os.environ.get
    p.add_argument(
        "--ours-python",
        default=env("ZMQ_BENCH_OURS_PYTHON"),
        help="interpreter that imports our zmq (default: this one + --ours-src)",
    )
    p.add_argument(
        "--ours-src",
        default=env("ZMQ_BENCH_OURS_SRC"),
        help="PYTHONPATH for ours (default: this checkout, when --ours-python is unset)",
    )
    p.add_argument(
        "--base-src",
        default=env("ZMQ_BENCH_BASE_SRC"),
        help="a built checkout of an earlier commit, run as base-cython/base-cffi by the same"
        " interpreter as ours (before/after comparisons)",
    )
    p.add_argument(
        "--pyzmq-python", default=env("ZMQ_BENCH_PYZMQ_PYTHON", "/root/pyzmq-venv/bin/python")
    )
    p.add_argument(
        "--ours-pypy-python",
        # the venv ci/pypy-venv.sh makes by default (an editable install of this checkout)
        default=env("ZMQ_BENCH_OURS_PYPY_PYTHON", str(REPO / ".venv-pypy" / "bin" / "python")),
    )
    p.add_argument("--ours-pypy-src", default=env("ZMQ_BENCH_OURS_PYPY_SRC"))
    p.add_argument(
        "--pyzmq-pypy-python",
        default=env("ZMQ_BENCH_PYZMQ_PYPY_PYTHON", "/root/pyzmq-pypy-venv/bin/python"),
    )
    p.add_argument(
        "--cache",
        default=env(
            "ZMQ_BENCH_CACHE",
            os.path.join(env("XDG_CACHE_HOME", os.path.join(tempfile.gettempdir())), "zmq-bench"),
        ),
        help="where the compiled C baseline is kept",
    )


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="short counts, 2 rounds, no 1-byte workloads (~1-2 min)",
    )
    p.add_argument(
        "--impl",
        default="all",
        help="comma list of {} or {}".format(", ".join(ALL_IMPLS), ", ".join(IMPL_ALIASES)),
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        help="keep workloads whose name contains this text (repeatable; all must match)",
    )
    p.add_argument("--rounds", type=int, help="rounds per workload (default 3, quick 2)")
    p.add_argument("--scale", type=float, help="multiply message counts (default 1, quick 0.2)")
    p.add_argument("--stat", choices=("best", "median"), default="best")
    p.add_argument(
        "--metric",
        choices=("wall", "cpu"),
        default="wall",
        help="rates per wall-clock second, or per second of the process's CPU time (all"
        " threads): steadier when other work competes for the cores",
    )
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per measurement")
    p.add_argument("--markdown", action="store_true", help="print the report as markdown")
    p.add_argument("--json", metavar="FILE", help="also write every round's raw result here")
    p.add_argument("--quiet", action="store_true", help="no per-workload progress on stderr")
    p.add_argument("--from-json", metavar="FILE", help="report a run saved with --json again")
    p.add_argument(
        "--soak",
        action="store_true",
        help="instead: soak this interpreter's zmq (soak.py; 10^7 messages per transport)",
    )
    p.add_argument("--soak-count", type=int, default=10_000_000)
    p.add_argument("--soak-size", type=int, default=64)
    add_impl_arguments(p)
    args = p.parse_args(argv)
    if args.soak:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import soak

        return int(soak.main(args.soak_count, args.soak_size))
    if args.rounds is None:
        args.rounds = 2 if args.quick else 3
    if args.scale is None:
        args.scale = 0.2 if args.quick else 1.0

    loads = [w for w in all_workloads() if all(o in w.name for o in args.only)]
    if args.quick:
        # 1-byte messages behave like 64-byte ones; dropping them keeps --quick near 1-2 min
        loads = [w for w in loads if w.size > 1]
    if args.from_json:
        impls, results, seconds = load_json(Path(args.from_json), args)
        loads = [w for w in loads if w.name in results]
    else:
        impls, results, seconds = measure_all(loads, args)
    if not loads:
        raise SystemExit(f"no workload matches {args.only}")
    print(report(results, loads, impls, args, seconds))
    return 0


def measure_all(
    loads: list[Workload], args: argparse.Namespace
) -> tuple[list[Impl], dict[str, dict[str, Cell]], float]:
    impls = resolve_impls(parse_impls(args.impl), args)
    for impl in impls:
        if impl.missing:
            print(f"{impl.name}: n/a: {impl.missing}", file=sys.stderr)
    start = time.perf_counter()
    load_before = os.getloadavg()[0]
    results = run_all(impls, loads, args)
    seconds = time.perf_counter() - start
    args.load = (load_before, os.getloadavg()[0])
    if args.json:
        raw = {
            "seconds": seconds,
            "load": args.load,
            "rounds": args.rounds,
            "impls": {i.name: {"info": i.info, "missing": i.missing} for i in impls},
            "results": {
                name: {
                    impl: {"wall_rates": c.wall_rates, "cpu_rates": c.cpu_rates, "errors": c.errors}
                    for impl, c in row.items()
                }
                for name, row in results.items()
            },
        }
        Path(args.json).write_text(json.dumps(raw, indent=1))
    return impls, results, seconds


def load_json(
    path: Path, args: argparse.Namespace
) -> tuple[list[Impl], dict[str, dict[str, Cell]], float]:
    """A run saved with --json, to report again (another --metric, --stat or --only)."""
    raw = json.loads(path.read_text())
    impls = [
        Impl(name, [], {}, d["info"], d["missing"])
        for name, d in raw["impls"].items()
        if name in parse_impls(args.impl)
    ]
    results: dict[str, dict[str, Cell]] = {}
    for load, row in raw["results"].items():
        results[load] = {}
        for name, d in row.items():
            rates = d["cpu_rates"] if args.metric == "cpu" else d["wall_rates"]
            results[load][name] = Cell(rates, d["wall_rates"], d["cpu_rates"], d["errors"])
    args.load, args.rounds = tuple(raw["load"]), raw["rounds"]
    return impls, results, raw["seconds"]


if __name__ == "__main__":
    sys.exit(main())
