"""mypy accepts user-style code against zmq's hints (tests/typing_examples/*.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "tests" / "typing_examples").glob("*.py"))


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        import mypy  # noqa: F401
    except ImportError:
        pytest.skip("mypy is not installed (pip install mypy) -- typing not checked")
    # the running interpreter's version: recent mypy releases refuse pyproject's 3.9
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--python-version",
            version,
            "--no-incremental",
            "--config-file",
            str(REPO / "pyproject.toml"),
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=280,
    )


@pytest.mark.timeout(300)
def test_examples_type_check():
    assert EXAMPLES
    proc = mypy(*map(str, EXAMPLES))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.timeout(300)
def test_mypy_sees_zmq_types(tmp_path):
    # proves the check above can fail: zmq's hints really are in use
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import zmq\nport: str = zmq.Socket.bind_to_random_port\nv: int = zmq.zmq_version()\n"
    )
    proc = mypy(str(bad))
    assert proc.returncode == 1
    assert (
        'Incompatible types in assignment (expression has type "str", variable has type "int")'
        in proc.stdout
    )
