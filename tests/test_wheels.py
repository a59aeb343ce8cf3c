"""The wheel build configuration: cibuildwheel's matrix, the workflows, the content checker.

The intended matrix is written out here; cibuildwheel computes the real one from
pyproject.toml. Any difference fails, so the matrix cannot shrink (or grow) silently.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
#: The cibuildwheel version the matrix below was written for (the workflows pin the same).
CIBUILDWHEEL_VERSION = "4.3.5"

#: CPython versions that get wheels: cibuildwheel 4.3's non-EOL ones (3.9 is EOL since
#: October 2025; free-threaded builds are skipped, see pyproject.toml).
CPYTHON = ["cp310", "cp311", "cp312", "cp313", "cp314", "cp315"]
#: PyPy versions cibuildwheel supports without the "pypy-eol" group.
PYPY = ["pp311", "pp312"]


def _ids(pythons: list[str], platforms: list[str]) -> set[str]:
    return {f"{py}-{plat}" for py in pythons for plat in platforms}


INTENDED: dict[str, set[str]] = {
    "linux": _ids(CPYTHON + PYPY, ["manylinux_x86_64", "manylinux_aarch64"])
    # no PyPy for musl
    | _ids(CPYTHON, ["musllinux_x86_64", "musllinux_aarch64"]),
    "macos": _ids(CPYTHON + PYPY, ["macosx_x86_64", "macosx_arm64"]),
    # no PyPy for Windows on ARM64
    "windows": _ids(CPYTHON + PYPY, ["win_amd64"]) | _ids(CPYTHON, ["win_arm64"]),
}

#: Architectures per platform, as pyproject.toml configures them and wheels.yml runs them.
ARCHS = {
    "linux": {"x86_64", "aarch64"},
    "macos": {"x86_64", "arm64"},
    "windows": {"AMD64", "ARM64"},
}
RUNNER_PLATFORM = {"ubuntu": "linux", "macos": "macos", "windows": "windows"}


def _cibuildwheel_available() -> bool:
    if importlib.util.find_spec("cibuildwheel") is not None:
        return True
    if os.environ.get("CI"):
        pytest.fail(
            f"cibuildwheel is not installed in CI: pip install cibuildwheel=={CIBUILDWHEEL_VERSION}"
        )
    pytest.skip(f"needs cibuildwheel=={CIBUILDWHEEL_VERSION} (pip install it to run)")


def print_identifiers(plat: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIBW_")}
    out = subprocess.run(
        [sys.executable, "-m", "cibuildwheel", "--print-build-identifiers", "--platform", plat],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_cibuildwheel_version() -> None:
    _cibuildwheel_available()
    from importlib.metadata import version

    assert version("cibuildwheel") == CIBUILDWHEEL_VERSION, (
        "the matrix in this test was written for cibuildwheel "
        f"{CIBUILDWHEEL_VERSION}: review INTENDED, then update the pins here and in wheels.yml"
    )


@pytest.mark.parametrize("plat", sorted(INTENDED))
def test_build_identifiers(plat: str) -> None:
    _cibuildwheel_available()
    expected = set(INTENDED[plat])
    if plat == "macos" and platform.machine() not in ("arm64", "aarch64"):
        # cibuildwheel cannot cross-build PyPy for arm64 and drops it when asked from an
        # x86_64 host; wheels.yml builds those on the arm64 runner.
        expected -= _ids(PYPY, ["macosx_arm64"])
    actual = print_identifiers(plat)
    assert actual == expected, (
        f"missing: {sorted(expected - actual)}; unexpected: {sorted(actual - expected)}"
    )


def test_free_threaded_and_eol_are_skipped_with_reasons() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    section = text[text.index("[tool.cibuildwheel]") :]
    for pattern, reason in (('"cp39-*"', "end-of-life"), ('"cp3??t-*"', "GIL")):
        assert pattern in section
        before = section[: section.index(pattern)]
        assert reason in before[-600:], f"{pattern} is skipped without its reason beside it"


def _workflow_matrix() -> set[tuple[str, str]]:
    text = (WORKFLOWS / "wheels.yml").read_text()
    rows = re.findall(r"-\s*\{\s*os:\s*([\w.-]+),\s*archs:\s*(\w+)\s*\}", text)
    assert rows, "no matrix rows found in wheels.yml"
    return {(RUNNER_PLATFORM[os_name.split("-")[0]], arch) for os_name, arch in rows}


def test_workflow_runs_every_configured_arch() -> None:
    wanted = {(plat, arch) for plat, archs in ARCHS.items() for arch in archs}
    assert _workflow_matrix() == wanted


def test_configured_archs_match() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    for plat, archs in ARCHS.items():
        block = text[text.index(f"[tool.cibuildwheel.{plat}]") :]
        line = re.search(r"^archs\s*=\s*\[(.*)\]", block, re.M)
        assert line is not None
        assert set(re.findall(r'"(\w+)"', line.group(1))) == archs


def test_workflows_pin_actions_by_sha() -> None:
    for wf in WORKFLOWS.glob("*.yml"):
        for uses in re.findall(r"uses:\s*(\S+.*)", wf.read_text()):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", uses), (
                f"{wf.name}: {uses!r} is not pinned by SHA with a version comment"
            )


def test_workflows_do_not_persist_credentials() -> None:
    for wf in WORKFLOWS.glob("*.yml"):
        text = wf.read_text()
        checkouts = text.count("actions/checkout@")
        assert text.count("persist-credentials: false") == checkouts, wf.name
        assert "permissions: {}" in text, f"{wf.name}: no empty top-level permissions"


def test_scripts_named_in_the_config_exist() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    section = text[text.index("[tool.cibuildwheel]") :]
    named = set(re.findall(r"\{project\}/([\w./-]+)", section))
    named |= set(re.findall(r'"((?:tools|ci)/[\w./-]+)"', section))
    assert named, "no scripts found in [tool.cibuildwheel]"
    for rel in named:
        assert (ROOT / rel).is_file(), rel
