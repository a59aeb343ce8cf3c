"""setup.py itself: the Python-version guard runs before anything else."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_refuses_old_python() -> None:
    code = (
        "import sys; sys.version_info = (3, 8, 18, 'final', 0); sys.argv = ['setup.py', '--version'];"
        f" exec(compile(open({str(ROOT / 'setup.py')!r}).read(), 'setup.py', 'exec'))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("zmq requires Python 3.9 or newer; this is Python ")
    assert "Traceback" not in proc.stderr


def test_accepts_this_python() -> None:
    proc = subprocess.run(
        [sys.executable, "setup.py", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "27.3.0.1"


def test_build_ext_declares_zmq_option() -> None:
    from buildutils.build_ext import build_ext

    assert any(opt[0] == "zmq=" for opt in build_ext.user_options)
