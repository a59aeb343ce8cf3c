"""The GitHub workflows and .ci/run run the same checks and suites: those of ci/test.sh.

.ci/run runs every step of ci/test.sh on one machine; the workflows spread the steps over
jobs. Each step must be run by some job, every pytest run must go through ci/test.sh (so
that no job runs a narrower suite than .ci/run), and the workflows may name only real steps.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CALL = re.compile(r"(?:^|[\s;&|(])(?:bash\s+)?(?:\./)?ci/test\.sh(?=[\s;&|)]|$)([^\n;&|)]*)")


def ci_steps() -> list[str]:
    out = subprocess.run(
        ["bash", str(ROOT / "ci" / "test.sh"), "--list"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return out.stdout.split()


def run_scripts() -> list[tuple[str, str]]:
    """(workflow:job, script) for every `run:` of every job."""
    found = []
    for path in WORKFLOWS:
        jobs: dict[str, Any] = yaml.safe_load(path.read_text())["jobs"]
        for name, job in jobs.items():
            for step in job.get("steps", []):
                if "run" in step:
                    found.append((f"{path.name}:{name}", step["run"]))
    return found


def steps_called(script: str) -> list[list[str]]:
    """The step arguments of each ci/test.sh call in a shell script (before any ``--``)."""
    calls = []
    for match in CALL.finditer(script):
        args = match.group(1).split()
        calls.append(args[: args.index("--")] if "--" in args else args)
    return calls


def jobs_by_step() -> dict[str, list[str]]:
    runs: dict[str, list[str]] = {step: [] for step in ci_steps()}
    for job, script in run_scripts():
        for args in steps_called(script):
            for step in args or list(runs):
                runs.setdefault(step, []).append(job)
    return runs


def test_the_steps_are_listed() -> None:
    steps = ci_steps()
    assert {"lint", "docs", "cython", "cffi", "pypy", "draft", "pyzmq-suite", "wheels"} <= set(
        steps
    )
    assert len(steps) == len(set(steps))


def test_every_step_runs_in_some_github_job() -> None:
    runs = jobs_by_step()
    assert [step for step in ci_steps() if not runs[step]] == [], runs


def test_the_workflows_name_only_real_steps() -> None:
    runs = jobs_by_step()
    assert set(runs) == set(ci_steps()), runs


def test_pytest_runs_only_through_ci_test_sh() -> None:
    # a job running pytest itself could run less of the suite than .ci/run does
    direct = [
        (job, line.strip())
        for job, script in run_scripts()
        for line in script.splitlines()
        if re.search(r"\bpytest\b", line)
    ]
    assert direct == []


def test_ci_run_runs_every_step() -> None:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert "bash ci/setup.sh" in lines
    assert "bash ci/test.sh" in lines  # no step named: all of them


def test_an_unknown_step_is_refused() -> None:
    out = subprocess.run(
        ["bash", str(ROOT / "ci" / "test.sh"), "no-such-step"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode == 2
    assert "unknown step 'no-such-step'" in out.stderr


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("bash ci/test.sh cython cffi", [["cython", "cffi"]]),
        ("./ci/test.sh lint -- -x\nbash ci/test.sh docs", [["lint"], ["docs"]]),
        ("cd x && bash ci/test.sh pypy", [["pypy"]]),
        ("bash ci/test.sh", [[]]),
        ("echo ci/test.sh.bak; bash tools/ci/test.shx", []),
    ],
)
def test_calls_are_found_in_scripts(script: str, expected: list[list[str]]) -> None:
    assert steps_called(script) == expected
