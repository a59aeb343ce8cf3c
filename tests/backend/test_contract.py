"""The backend exports exactly the contract, and PYZMQ_BACKEND selects it strictly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import zmq.backend
from zmq.backend._contract import PUBLIC_API

ROOT = Path(__file__).resolve().parents[2]


def test_exports_exactly_public_api() -> None:
    assert set(zmq.backend.__all__) == set(PUBLIC_API)
    module = sys.modules[
        zmq.backend.select.BACKENDS.get(zmq.backend.__impl__, zmq.backend.__impl__)
    ]
    exported = set(getattr(module, "__all__", ()))
    assert exported == set(PUBLIC_API)
    for name in PUBLIC_API:
        assert getattr(zmq.backend, name) is getattr(module, name)
    assert zmq.backend.Message is zmq.backend.Frame


def _run(code: str, backend: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYZMQ_BACKEND"}
    if backend is not None:
        env["PYZMQ_BACKEND"] = backend
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(ROOT),
    )


ROUND_TRIP = """
    import zmq.backend as b
    from zmq.constants import PUSH, PULL
    ctx = b.Context()
    push, pull = b.Socket(ctx, PUSH), b.Socket(ctx, PULL)
    push.bind("inproc://sel"); pull.connect("inproc://sel")
    push.send(b"hi")
    assert pull.recv() == b"hi"
    push.close(); pull.close(); ctx.term()
    print(b.__impl__, b.Socket.__module__)
"""


def test_default_is_cython_on_cpython() -> None:
    result = _run(ROUND_TRIP, None)
    assert result.returncode == 0, result.stderr
    expected = "cffi" if sys.implementation.name == "pypy" else "cython"
    assert result.stdout.split()[0] == expected


@pytest.mark.parametrize("name", ["cython", "cffi"])
def test_select_builtin(name: str) -> None:
    check = _run(f"import zmq.backend.{name}", None)
    if check.returncode != 0 and "not compiled" in check.stderr + check.stdout:
        pytest.skip(f"the {name} backend is not built in this tree")
    result = _run(ROUND_TRIP, name)
    assert result.returncode == 0, result.stderr
    impl, module = result.stdout.split()
    assert impl == name
    assert module.startswith(f"zmq.backend.{name}")


def test_module_path_backend() -> None:
    # the interpreter's default backend, named by module path (PyPy builds only cffi)
    path = "zmq.backend.cffi" if sys.implementation.name == "pypy" else "zmq.backend.cython"
    result = _run(ROUND_TRIP, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == path


def test_bogus_backend_is_a_chained_import_error() -> None:
    code = """
        try:
            import zmq.backend
        except ImportError as e:
            print(type(e.__cause__).__name__, "|", e)
        else:
            print("imported")
    """
    result = _run(code, "no_such_backend_xyz")
    assert result.returncode == 0, result.stderr
    cause, message = result.stdout.split("|", 1)
    assert cause.strip() == "ModuleNotFoundError"
    assert "no_such_backend_xyz" in message


def test_incomplete_backend_is_refused(tmp_path: Path) -> None:
    (tmp_path / "half_backend.py").write_text("Context = Socket = None\n")
    code = f"""
        import sys; sys.path.insert(0, {str(tmp_path)!r})
        try:
            import zmq.backend
        except ImportError as e:
            print("refused:", e)
    """
    result = _run(code, "half_backend")
    assert "refused:" in result.stdout and "Frame" in result.stdout, result.stdout + result.stderr
