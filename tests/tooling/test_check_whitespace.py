"""tools/check_whitespace.py, the pre-commit hygiene hook, run as pre-commit runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "check_whitespace.py"


def hook(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("content", "problem", "fixed"),
    [
        (b"a = 1  \nb = 2\n", "trailing whitespace (first on line 1)", b"a = 1\nb = 2\n"),
        (b"a\nb\t\r\n", "trailing whitespace (first on line 2)", b"a\nb\r\n"),
        (b"a = 1", "no newline at the end", b"a = 1\n"),
        (b"a = 1\n\n\n", "blank lines at the end", b"a = 1\n"),
        (b"\n", "blank lines at the end", b""),
    ],
)
def test_reports_then_fixes(tmp_path: Path, content: bytes, problem: str, fixed: bytes) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    out = hook(path)
    assert out.returncode == 1 and out.stdout == f"{path}: {problem}\n"
    assert path.read_bytes() == content  # checking changes nothing
    assert hook("--fix", path).returncode == 1  # pre-commit shows the fix as a failure
    assert path.read_bytes() == fixed
    assert hook(path).returncode == 0


def test_clean_empty_and_binary_files_pass(tmp_path: Path) -> None:
    clean, empty, binary = tmp_path / "clean", tmp_path / "empty", tmp_path / "binary"
    clean.write_bytes(b"x = 1\n")
    empty.write_bytes(b"")
    binary.write_bytes(b"\x00\x01  \n\n\n")
    out = hook(clean, empty, binary)
    assert (out.returncode, out.stdout) == (0, "")
