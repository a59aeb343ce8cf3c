"""Run pyzmq 27.3.0's own test suite against the installed zmq and compare with pyzmq.

    python tools/pyzmq_suite.py [CONFIG ...]     # default: cython cffi pypy
    python tools/pyzmq_suite.py --fetch-only     # download and verify the sdist, print its path
    python tools/pyzmq_suite.py --make-baselines [CONFIG ...]   # (ci/setup.sh does this)

Each configuration runs the tests of pyzmq's sdist twice, on the same machine: against our
package in one venv, and against pyzmq 27.3.0 itself in a baseline venv of the same
interpreter with the same test tools at the same versions (``--make-baselines`` makes it
from our venv; ci/setup.sh runs it). The verdict: every test
that passes on pyzmq passes here, except the deliberate differences listed in
tests/pyzmq_suite/differences.toml; an entry whose tests pass here (or do not pass on pyzmq)
is stale and fails the check too, so the list stays honest. Exit status 0 only if every
requested configuration passes.

The sdist is fetched through pip's configured index (pinned version and sha256) into
~/.cache/zmq-pyzmq-suite, or taken from ``PYZMQ_SUITE_SDIST`` (verified the same way);
it is never copied into this repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ImportError:  # Python < 3.11: pip carries a copy of the same parser
    # importing pip under setuptools' distutils shim warns (an error under pytest's
    # filterwarnings = error, e.g. when the harness tests run on PyPy 3.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pip._vendor import tomli as tomllib  # type: ignore[no-redef]

PYZMQ_VERSION = "27.3.0"
SDIST_NAME = f"pyzmq-{PYZMQ_VERSION}.tar.gz"
SDIST_SHA256 = "bbedb3d1d99babc625f1dd9d7438acefd442b36b75073fd6bc1ef7c0a4b96d56"

ROOT = Path(__file__).resolve().parent.parent
DIFFERENCES = ROOT / "tests" / "pyzmq_suite" / "differences.toml"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zmq-pyzmq-suite"

# per test (pytest-timeout), and for a whole run: a run that hangs at exit is killed, and the
# outcomes it already wrote still count
TEST_TIMEOUT = 60
RUN_TIMEOUT = 1200


@dataclass(frozen=True)
class Config:
    """One way of running the suite: our venv + environment, and the pyzmq venv to compare."""

    name: str
    venv: str
    env: Mapping[str, str]
    baseline: str
    cffi: bool  # the CFFI backend is under test


# pyzmq's CPython wheels have no CFFI backend: the cffi configuration is compared with pyzmq
# on Cython, and the tests pyzmq's suite skips on any CFFI backend are not counted there
CONFIGS = {
    c.name: c
    for c in (
        Config("cython", ".venv", {"PYZMQ_BACKEND": "cython"}, ".venv-pyzmq", cffi=False),
        Config("cffi", ".venv", {"PYZMQ_BACKEND": "cffi"}, ".venv-pyzmq", cffi=True),
        Config("pypy", ".venv-pypy", {}, ".venv-pyzmq-pypy", cffi=True),
    )
}

# outcome of one test, from its setup/call/teardown reports
PASSED = "passed"
# a skip by pyzmq's suite because the backend is CFFI: the reasons its helpers give
SKIPPED_FOR_CFFI = "skipped for CFFI"
CFFI_SKIP_REASONS = frozenset(
    {
        "Doesn't work on CFFI backend",
        "CFFI on CPython is unsupported",
        "Requires cython backend",
        "GC doesn't work",
    }
)


# --- fetching ---------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _index_url() -> tuple[str, object]:
    """The sdist's URL from pip's own index configuration, and pip's HTTP session.

    Only pip knows the configured index, mirrors, proxies and certificates; ``pip download``
    itself would also build the sdist's metadata (needing pyzmq's build backend), which this
    does not need.
    """
    from pip._internal.commands import create_command

    cmd: Any = create_command("download")  # a RequirementCommand: session, finder
    options, _ = cmd.parse_args(["--no-deps", f"pyzmq=={PYZMQ_VERSION}"])
    with cmd.main_context():
        session = cmd.get_default_session(options)
        finder = cmd._build_package_finder(options=options, session=session)
        for candidate in finder.find_all_candidates("pyzmq"):
            if candidate.link.filename == SDIST_NAME:
                return candidate.link.url_without_fragment, session
    raise SystemExit(f"pyzmq-suite: pip's index has no {SDIST_NAME}")


def fetch_sdist() -> Path:
    """The verified sdist: from PYZMQ_SUITE_SDIST, the cache, or pip's index (then cached)."""
    given = os.environ.get("PYZMQ_SUITE_SDIST")
    path = Path(given) if given else CACHE / SDIST_NAME
    if not path.exists():
        if given:
            raise SystemExit(f"pyzmq-suite: PYZMQ_SUITE_SDIST={given} does not exist")
        url, session = _index_url()
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with session.get(url, stream=True) as response:  # type: ignore[attr-defined]
            response.raise_for_status()
            with open(partial, "wb") as f:
                for chunk in response.iter_content(1 << 16):
                    f.write(chunk)
        if sha256_of(partial) != SDIST_SHA256:
            partial.unlink()
            raise SystemExit(f"pyzmq-suite: downloaded {SDIST_NAME} fails its sha256 check")
        partial.replace(path)
    digest = sha256_of(path)
    if digest != SDIST_SHA256:
        raise SystemExit(f"pyzmq-suite: {path}: sha256 {digest}, expected {SDIST_SHA256}")
    return path


def extract_tests(sdist: Path, dest: Path) -> None:
    """pyzmq's tests/ and what they read beside it (pytest.ini, examples, mypy_tests)."""
    top = f"pyzmq-{PYZMQ_VERSION}/"
    wanted = ("tests/", "examples/", "mypy_tests/", "pytest.ini", "mypy.ini")
    with tarfile.open(sdist) as tar:
        members = []
        for m in tar.getmembers():
            rel = m.name[len(top) :] if m.name.startswith(top) else ""
            if rel.startswith(wanted) and (m.isfile() or m.isdir()) and ".." not in rel:
                m.name = rel
                members.append(m)
        # the "data" filter (Python 3.12+, and security backports) refuses links outside dest
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(dest, members=members, **safe)  # type: ignore[arg-type]


def make_baseline(config: Config) -> None:
    """A venv of the same interpreter as ``config.venv`` with pyzmq itself (a wheel) and
    our venv's other packages pinned to the versions installed there."""
    ours = ROOT / config.venv / "bin" / "python"
    venv = ROOT / config.baseline
    if not (venv / "bin" / "python").exists():
        subprocess.run([str(ours), "-m", "venv", str(venv)], check=True)
    frozen = subprocess.run(
        [str(ours), "-m", "pip", "freeze", "--exclude-editable", "--exclude", "pyzmq"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    requirements = venv / "requirements-ours.txt"
    requirements.write_text(frozen)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-U", "pip"], check=True)
    subprocess.run(
        [*pip, "--only-binary", "pyzmq", f"pyzmq=={PYZMQ_VERSION}", "-r", str(requirements)],
        check=True,
    )


# --- running ----------------------------------------------------------------------------


@dataclass
class Run:
    outcomes: dict[str, str]
    seconds: float
    note: str = ""


def outcomes_from_lines(lines: Iterable[str]) -> dict[str, str]:
    """Fold the plugin's per-phase lines into one outcome per test id.

    passed, skipped, SKIPPED_FOR_CFFI, xfailed, xpassed, failed (the call failed) or error
    (setup, teardown or collection failed).
    """
    result: dict[str, str] = {}
    for raw in lines:
        if not raw.strip():
            continue
        r = json.loads(raw)
        test, when, outcome = r["id"], r["when"], r["outcome"]
        if outcome == "failed":
            result[test] = "failed" if when == "call" else "error"
        elif result.get(test) in ("failed", "error"):
            continue
        elif outcome == "skipped" and when in ("setup", "call"):
            if r["xfail"]:
                result[test] = "xfailed"
            elif r.get("reason") in CFFI_SKIP_REASONS:
                result[test] = SKIPPED_FOR_CFFI
            else:
                result[test] = "skipped"
        elif outcome == "passed" and when == "call":
            result[test] = "xpassed" if r["xfail"] else PASSED
    return result


def run_suite(sdist: Path, python: Path, env: Mapping[str, str], label: str) -> Run:
    """Run pyzmq's tests with this interpreter from a fresh directory outside the checkout."""
    with tempfile.TemporaryDirectory(prefix="pyzmq-suite-") as tmp:
        work = Path(tmp)
        extract_tests(sdist, work)
        report = work / "outcomes.jsonl"
        full_env = dict(os.environ)
        full_env.pop("PYZMQ_BACKEND", None)
        full_env.update(env)
        full_env["PYZMQ_SUITE_REPORT"] = str(report)
        full_env["PYTHONPATH"] = str(ROOT / "tools")
        full_env["PYTHONDONTWRITEBYTECODE"] = "1"
        cmd = [
            str(python),
            "-m",
            "pytest",
            "-p",
            "pyzmq_suite_plugin",
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            "-rfE",
            "--continue-on-collection-errors",
            f"--timeout={TEST_TIMEOUT}",
            "tests",
        ]
        log = CACHE / f"{label}.log"
        CACHE.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        note = ""
        with open(log, "w") as out:
            proc = subprocess.Popen(cmd, cwd=work, env=full_env, stdout=out, stderr=out)
            try:
                proc.wait(timeout=RUN_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                note = f"killed after {RUN_TIMEOUT} s"
        seconds = time.monotonic() - start
        lines = report.read_text().splitlines() if report.exists() else []
        return Run(outcomes_from_lines(lines), seconds, note)


# --- the verdict ------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    test: str  # a test id, or a prefix of ids (a module, a class, a parametrized test)
    reason: str
    configs: frozenset[str]

    def matches(self, test: str) -> bool:
        return test == self.test or test.startswith((self.test + "::", self.test + "["))


@dataclass(frozen=True)
class Lists:
    """The checked-in lists: deliberate differences, and tests that flake on pyzmq itself."""

    differences: tuple[Difference, ...] = ()
    flaky: tuple[Difference, ...] = ()


def _entries(path: Path, data: Mapping[str, object], table: str) -> tuple[Difference, ...]:
    result = []
    for entry in data.get(table, []):  # type: ignore[attr-defined]
        configs = frozenset(entry.get("configs", CONFIGS))
        if configs - set(CONFIGS) or not entry.get("reason", "").strip():
            raise SystemExit(f"{path}: bad entry {entry!r} (needs a reason; configs {CONFIGS})")
        result.append(Difference(entry["test"], entry["reason"].strip(), configs))
    return tuple(result)


def load_lists(path: Path = DIFFERENCES) -> Lists:
    data = tomllib.loads(path.read_text())
    return Lists(_entries(path, data, "difference"), _entries(path, data, "flaky_on_pyzmq"))


@dataclass
class Verdict:
    must_pass: list[str]  # passed on pyzmq, and not known to flake there
    listed: dict[str, Difference]  # must-pass tests failing here, by a listed difference
    failures: dict[str, str]  # must-pass tests failing here, not listed: test -> our outcome
    stale: list[Difference]  # listed differences with nothing to excuse
    extra: list[str]  # pass here, not on pyzmq
    flaky_failing: dict[str, str] = field(default_factory=dict)  # reported, not failing
    unknown: list[Difference] = field(default_factory=list)  # flaky entries naming no test
    not_for_cffi: list[str] = field(default_factory=list)  # skipped by the suite on CFFI

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stale and not self.unknown


def compare(
    ours: Mapping[str, str], pyzmq: Mapping[str, str], lists: Lists, config: str
) -> Verdict:
    differences = [d for d in lists.differences if config in d.configs]
    flaky = [d for d in lists.flaky if config in d.configs]
    cffi = CONFIGS[config].cffi

    def first(entries: list[Difference], test: str) -> Difference | None:
        return next((d for d in entries if d.matches(test)), None)

    must_pass = []
    flaky_failing = {}
    for test in sorted(t for t, o in pyzmq.items() if o == PASSED):
        if first(flaky, test) is None:
            must_pass.append(test)
        elif ours.get(test, "not run") != PASSED:
            flaky_failing[test] = ours.get(test, "not run")
    listed: dict[str, Difference] = {}
    failures: dict[str, str] = {}
    not_for_cffi = []
    for test in must_pass:
        outcome = ours.get(test, "not run")
        if outcome == PASSED:
            continue
        if cffi and outcome == SKIPPED_FOR_CFFI:
            not_for_cffi.append(test)
            continue
        entry = first(differences, test)
        if entry is None:
            failures[test] = outcome
        else:
            listed[test] = entry
    used = {id(d) for d in listed.values()}
    stale = [d for d in differences if id(d) not in used]
    unknown = [d for d in flaky if not any(d.matches(t) for t in pyzmq)]
    extra = sorted(t for t, o in ours.items() if o == PASSED and pyzmq.get(t) != PASSED)
    return Verdict(must_pass, listed, failures, stale, extra, flaky_failing, unknown, not_for_cffi)


def count(outcomes: Mapping[str, str], outcome: str = PASSED) -> int:
    return sum(1 for o in outcomes.values() if o == outcome)


def summary(config: str, ours: Run, pyzmq: Run, verdict: Verdict) -> str:
    status = "OK" if verdict.ok else "FAIL"
    return (
        f"pyzmq-suite {config}: {status} - passed: ours {count(ours.outcomes)}, "
        f"pyzmq {count(pyzmq.outcomes)} (of {len(ours.outcomes)} / {len(pyzmq.outcomes)} run); "
        f"must pass {len(verdict.must_pass)}: {len(verdict.listed)} listed differences, "
        f"{len(verdict.failures)} unexpected failures, {len(verdict.stale)} stale entries, "
        f"{len(verdict.flaky_failing)} failing that flake on pyzmq, "
        f"{len(verdict.not_for_cffi)} skipped by the suite on CFFI, "
        f"{len(verdict.extra)} pass only here; "
        f"{ours.seconds:.0f} s ours, {pyzmq.seconds:.0f} s pyzmq"
    )


def report(config: str, ours: Run, pyzmq: Run, verdict: Verdict) -> None:
    for run, who in ((ours, "ours"), (pyzmq, "pyzmq")):
        if run.note:
            print(f"  {config} ({who}): {run.note}")
    for test, outcome in sorted(verdict.failures.items()):
        print(f"  {config}: {outcome}: {test}")
    for d in verdict.stale:
        print(f"  {config}: stale difference (passes here, or not on pyzmq): {d.test}")
    for d in verdict.unknown:
        print(f"  {config}: flaky_on_pyzmq entry matches no test of pyzmq's run: {d.test}")
    for test, outcome in sorted(verdict.flaky_failing.items()):
        print(f"  {config}: {outcome} (flaky on pyzmq too, not counted): {test}")
    print(summary(config, ours, pyzmq, verdict), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("configs", nargs="*", metavar="CONFIG", help=", ".join(CONFIGS))
    parser.add_argument("--fetch-only", action="store_true", help="fetch the sdist only")
    parser.add_argument(
        "--make-baselines", action="store_true", help="make the pyzmq venvs to compare with"
    )
    args = parser.parse_args(argv)
    unknown = set(args.configs) - set(CONFIGS)
    if unknown:
        parser.error(f"unknown configuration {', '.join(sorted(unknown))}")
    if args.make_baselines:
        made = set()
        for name in args.configs or CONFIGS:
            if CONFIGS[name].baseline not in made:
                make_baseline(CONFIGS[name])
                made.add(CONFIGS[name].baseline)
        return 0
    sdist = fetch_sdist()
    if args.fetch_only:
        print(sdist)
        return 0
    lists = load_lists()
    baselines: dict[str, Run] = {}
    ok = True
    for name in args.configs or CONFIGS:
        config = CONFIGS[name]
        for venv in (config.venv, config.baseline):
            if not (ROOT / venv / "bin" / "python").exists():
                raise SystemExit(f"pyzmq-suite: {ROOT / venv} is missing (run ci/setup.sh)")
        if config.baseline not in baselines:
            python = ROOT / config.baseline / "bin" / "python"
            label = "pyzmq" + config.baseline.removeprefix(".venv-pyzmq")
            baselines[config.baseline] = run_suite(sdist, python, {}, label)
        pyzmq = baselines[config.baseline]
        ours = run_suite(sdist, ROOT / config.venv / "bin" / "python", config.env, name)
        verdict = compare(ours.outcomes, pyzmq.outcomes, lists, name)
        report(name, ours, pyzmq, verdict)
        ok = ok and verdict.ok
    print(f"pyzmq-suite: logs in {CACHE}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
