"""Typed programs check the same against this package and against pyzmq 27.3.0.

tests/typing_corpus/ holds typical programs (REQ/REP with JSON, asyncio PUB/SUB and
Poller, a Poller loop with Frames and trackers, a Socket[bytes] subclass, socket_class=,
options as attributes, ZMQStream, zmq.eventloop.future, auth, zmq.green, monitoring). Each must give 0 errors
with ``mypy --strict`` and with pyright, both against the installed zmq and against
pyzmq 27.3.0 installed in a separate venv (``.venv-pyzmq``, made by ci/setup.sh; or
``PYZMQ_TYPING_PYTHON``), so the corpus proves parity rather than a dialect of our own.
The same mypy and pyright run both times: only the interpreter whose packages they read
changes. The reveal_type checks show that the checkers really see our types.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from subprocess_support import child_env

REPO = Path(__file__).resolve().parents[1]
CORPUS = sorted((REPO / "tests" / "typing_corpus").glob("*.py"))
OURS = sys.executable

static = pytest.mark.skipif(
    os.environ.get("PYZMQ_BACKEND", "cython") != "cython",
    reason="static checks, independent of the backend: run once, with the default one",
)


def missing(what: str) -> None:
    """Skip outside CI; in CI a missing pyzmq venv is a setup error."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (ci/setup.sh installs it)")
    pytest.skip(what)


def checkers() -> str:
    """The pyright executable, once mypy and pyright are known to be installed (the dev
    extra has them; venvs without them, such as PyPy's, skip these checks)."""
    pytest.importorskip("mypy", reason="mypy is not installed (the dev extra has it)")
    pyright = shutil.which("pyright", path=str(Path(OURS).parent))
    if pyright is None:
        pytest.skip("pyright is not installed (the dev extra has it)")
    return pyright


def pyzmq_python() -> str:
    python = os.environ.get("PYZMQ_TYPING_PYTHON") or str(REPO / ".venv-pyzmq" / "bin" / "python")
    if not os.access(python, os.X_OK):
        missing(f"no pyzmq 27.3.0 venv at {python}")
    found = subprocess.run(
        [python, "-c", "import zmq; print(zmq.pyzmq_version())"],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=60,
    )
    if found.stdout.strip() != "27.3.0":
        missing(f"{python} has no pyzmq 27.3.0: {found.stdout.strip()} {found.stderr[-300:]}")
    return python


def extra_paths(python: str) -> list[str]:
    """Where zmq comes from, if not from site-packages (an editable install uses an
    import hook, which type checkers do not run)."""
    code = (
        "import os, site, zmq\n"
        "root = os.path.dirname(os.path.dirname(os.path.abspath(zmq.__file__)))\n"
        "print(root if root not in site.getsitepackages() else '')\n"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd="/", timeout=60)
    assert out.returncode == 0, out.stderr
    root = out.stdout.strip()
    return [root] if root else []


def run_mypy(python: str, files: list[Path], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    checkers()
    config = tmp_path / "mypy.ini"
    # zmq's own modules are a library here: only the programs' errors count
    config.write_text("[mypy]\nstrict = True\n\n[mypy-zmq.*]\nignore_errors = True\n")
    env = dict(os.environ, MYPYPATH=os.pathsep.join(extra_paths(python)))
    return subprocess.run(
        [
            OURS,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--python-executable",
            python,
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--show-error-codes",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=550,
    )


def run_pyright(python: str, files: list[Path], tmp_path: Path) -> dict:
    pyright = checkers()
    (tmp_path / "pyrightconfig.json").write_text(
        json.dumps({"extraPaths": extra_paths(python), "typeCheckingMode": "standard"})
    )
    out = subprocess.run(
        [pyright, "--outputjson", "--pythonpath", python, *map(str, files)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=550,
    )
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright gave no report: {out.stdout[-2000:]} {out.stderr[-2000:]}")


def pyright_errors(report: dict) -> list[str]:
    return [
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]


@pytest.fixture(params=["ours", "pyzmq"])
def python(request: pytest.FixtureRequest) -> str:
    checkers()  # first: without the checkers there is nothing to compare
    return OURS if request.param == "ours" else pyzmq_python()


@pytest.mark.parametrize("program", CORPUS, ids=lambda p: p.stem)
def test_corpus_programs_run(program: Path, tmp_path: Path) -> None:
    # real programs, not just well-typed text: each runs to completion here
    source = program.read_text()
    if "import zmq.green" in source:
        pytest.importorskip("gevent", reason="zmq.green needs gevent (none on PyPy)")
    if "tornado" in source:
        pytest.importorskip("tornado", reason="needs tornado (the test extra has it)")
    proc = subprocess.run(
        [sys.executable, str(program)],
        env=child_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=50,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout


def test_corpus_is_there():
    names = {p.stem for p in CORPUS}
    assert {"reqrep_json", "asyncio_pubsub", "poller_frames", "subclass_options"} <= names
    assert {"stream_app", "tornado_futures", "auth_curve", "green_and_utils"} <= names


@static
@pytest.mark.timeout(600)
def test_corpus_mypy_strict(python, tmp_path):
    proc = run_mypy(python, CORPUS, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found" in proc.stdout


@static
@pytest.mark.timeout(600)
def test_corpus_pyright(python, tmp_path):
    report = run_pyright(python, CORPUS, tmp_path)
    assert pyright_errors(report) == []
    assert report["summary"]["filesAnalyzed"] == len(CORPUS)


# What both checkers must reveal, with ours as with pyzmq: (expression, mypy, pyright).
REVEALED = [
    ("s", "zmq.sugar.socket.Socket[builtins.bytes]", "Socket[bytes]"),
    ("s.recv()", "builtins.bytes", "bytes"),
    ("s.recv(copy=False)", "zmq.sugar.frame.Frame", "Frame"),
    ("s.recv(0, False)", "zmq.sugar.frame.Frame", "Frame"),
    ("s.recv_multipart()", "builtins.list[builtins.bytes]", "list[bytes]"),
    ("s.recv_multipart(copy=False)", "builtins.list[zmq.sugar.frame.Frame]", "list[Frame]"),
    ("s.send(b'x')", "None", "None"),
    ("s.send(b'x', copy=False, track=True)", "zmq.sugar.tracker.MessageTracker", "MessageTracker"),
    ("s.recv_string()", "builtins.str", "str"),
    ("s.linger", "builtins.str | builtins.bytes | builtins.int", "str | bytes | int"),
    ("a", "zmq.asyncio.Socket", "Socket"),
    ("a.recv()", "typing.Awaitable[builtins.bytes]", "Awaitable[bytes]"),
    ("a.recv(copy=False)", "typing.Awaitable[zmq.sugar.frame.Frame]", "Awaitable[Frame]"),
    (
        "a.recv_multipart()",
        "typing.Awaitable[builtins.list[builtins.bytes]]",
        "Awaitable[list[bytes]]",
    ),
    ("a.recv_string()", "typing.Awaitable[builtins.str]", "Awaitable[str]"),
]

REVEAL_PROGRAM = """\
import zmq
import zmq.asyncio

ctx = zmq.Context()
s = ctx.socket(zmq.PUSH)
a = zmq.asyncio.Context().socket(zmq.PULL)
{reveals}
wrong: str = s.recv()
"""


@static
@pytest.mark.timeout(600)
def test_checkers_see_the_types(python, tmp_path):
    program = tmp_path / "reveal.py"
    program.write_text(
        REVEAL_PROGRAM.format(reveals="\n".join(f"reveal_type({e})" for e, _, _ in REVEALED))
    )
    first = REVEAL_PROGRAM.splitlines().index("{reveals}") + 1
    wrong_line = first + len(REVEALED)

    proc = run_mypy(python, [program], tmp_path)
    notes = {}
    for line in proc.stdout.splitlines():
        head, _, message = line.partition(": note: Revealed type is ")
        if message:
            notes[int(head.split(":")[1])] = message.strip('"').replace("builtins.", "")
    for i, (expr, mypy_type, _) in enumerate(REVEALED):
        assert notes.get(first + i) == mypy_type.replace("builtins.", ""), expr
    # and a wrong program fails
    assert f"reveal.py:{wrong_line}: error: Incompatible types in assignment" in proc.stdout
    assert proc.returncode == 1

    report = run_pyright(python, [program], tmp_path)
    infos = {
        d["range"]["start"]["line"] + 1: d["message"]
        for d in report["generalDiagnostics"]
        if d["severity"] == "information"
    }
    for i, (expr, _, pyright_type) in enumerate(REVEALED):
        assert infos.get(first + i, "").endswith(f' is "{pyright_type}"'), expr
    assert [e.split(":")[1] for e in pyright_errors(report)] == [str(wrong_line)]
