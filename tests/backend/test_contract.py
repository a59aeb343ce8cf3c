"""The backend exports exactly the contract, and PYZMQ_BACKEND selects it strictly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from subprocess_support import run_python

import zmq.backend
import zmq.backend.select
from zmq.backend._contract import PUBLIC_API


def test_exports_exactly_public_api() -> None:
    # plus pyzmq's build-time flag, which zmq.backend reads from the build info itself
    assert set(zmq.backend.__all__) == {*PUBLIC_API, "PYZMQ_DRAFT_API"}
    module = sys.modules[
        zmq.backend.select.BACKENDS.get(zmq.backend.__impl__, zmq.backend.__impl__)
    ]
    exported = set(getattr(module, "__all__", ()))
    # (the Cython backend also has pyzmq's compile-time PYZMQ_DRAFT_API, as pyzmq's does)
    assert exported - {"PYZMQ_DRAFT_API"} == set(PUBLIC_API)
    for name in PUBLIC_API:
        assert getattr(zmq.backend, name) is getattr(module, name)
    assert zmq.backend.Message is zmq.backend.Frame


def _run(code: str, backend: str | None) -> subprocess.CompletedProcess[str]:
    return run_python(code, env={"PYZMQ_BACKEND": backend})


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
