"""setup.py itself: the Python-version guard runs before anything else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    ("version", "key"),
    [
        ("64.0.0", "license"),
        ("76.1.0", "license"),
        ("77.0.3", "license_expression"),
        ("84.2.1", "license_expression"),
    ],
)
def test_license_form_follows_setuptools(version: str, key: str) -> None:
    """An SPDX expression where setuptools reads one (77+); the License field for the
    older setuptools that distributions build with, which reject the expression."""
    code = (
        "import setuptools, sys; seen = {}; setuptools.setup = lambda **kw: seen.update(kw);"
        f" setuptools.__version__ = {version!r}; sys.argv = ['setup.py'];"
        f" path = {str(ROOT / 'setup.py')!r};"
        " exec(compile(open(path).read(), path, 'exec'), {'__file__': path, '__name__': 'x'});"
        " print(sorted((k, v) for k, v in seen.items() if k.startswith('license')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == repr([(key, "BSD-3-Clause")])


def test_metadata_names_the_license_without_deprecation(tmp_path: Path) -> None:
    import setuptools  # type: ignore[import-untyped, unused-ignore]

    proc = subprocess.run(
        [sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "license" not in proc.stderr.lower()  # no deprecation of its form
    (info,) = tmp_path.glob("*.egg-info")
    pkg_info = (info / "PKG-INFO").read_text()
    if int(setuptools.__version__.split(".")[0]) >= 77:
        assert "\nLicense-Expression: BSD-3-Clause\n" in pkg_info
    else:
        assert "\nLicense: BSD-3-Clause\n" in pkg_info
    assert "\nLicense-File: LICENSE\n" in pkg_info
