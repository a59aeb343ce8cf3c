"""The linters are pinned, and the pre-commit hooks run them offline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

tomllib = pytest.importorskip("tomllib", reason="tomllib is new in Python 3.11")

ROOT = Path(__file__).resolve().parents[2]
PINNED = ["ruff", "mypy", "pyright", "pre-commit", "check-manifest"]


def extras() -> dict[str, list[str]]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        found: dict[str, list[str]] = tomllib.load(f)["project"]["optional-dependencies"]
    return found


def name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return match.group(0).lower()


def test_the_dev_tools_are_pinned_exactly() -> None:
    dev = {name(r): r for r in extras()["dev"]}
    for tool in PINNED:
        assert re.fullmatch(rf"{tool}(\[\w+\])?==[\w.]+", dev[tool]), dev[tool]


def test_the_dev_extra_holds_the_test_extra() -> None:
    # the dev venv runs the whole suite, like the test extra's venvs
    assert set(extras()["test"]) <= set(extras()["dev"])


def test_the_hooks_are_local_and_use_the_pinned_tools() -> None:
    config: dict[str, Any] = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    dev = {name(r) for r in extras()["dev"]}
    assert [repo["repo"] for repo in config["repos"]] == ["local"]  # nothing to download
    for hook in config["repos"][0]["hooks"]:
        assert hook["language"] == "system", hook["id"]
        assert "additional_dependencies" not in hook, hook["id"]
        tool = hook["entry"].split()[0]
        assert tool in dev or tool in {"python", "bash"}, hook["id"]
