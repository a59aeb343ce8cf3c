"""Real builds from a clean copy of the tree (``git ls-files``), each checked by a PUSH/PULL
round trip in a subprocess whose cwd is outside the source tree.

* ``pip install .`` into a fresh venv against the system libzmq (discovery);
* ``ZMQ_PREFIX=/usr pip install .`` into another fresh venv;
* ``python setup.py build_ext --inplace --zmq=/usr`` on a copy, imported via PYTHONPATH;
  then an sdist of that copy, which must hold no generated file.

Only the in-place build may write into its source tree (what it generates, git-ignored).

The venvs see the running interpreter's site-packages so ``pip install
--no-build-isolation`` finds setuptools/Cython/cffi without the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 600

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(BUILD_TIMEOUT + 60),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git checkout"),
]

ROUND_TRIP = textwrap.dedent(
    """
    import json, os, sys, tempfile
    import zmq
    from zmq._build_info import BUILD_INFO

    ctx = zmq.Context()
    push, pull = ctx.socket(zmq.PUSH), ctx.socket(zmq.PULL)
    with tempfile.TemporaryDirectory() as d:
        url = "ipc://" + os.path.join(d, "sock")
        pull.bind(url)
        push.connect(url)
        push.send(b"round trip")
        assert pull.poll(10000), "nothing received within 10 s"
        msg = pull.recv()
        push.close(linger=0)
        pull.close(linger=0)
    ctx.term()
    print(json.dumps({"file": zmq.__file__, "msg": msg.decode(), "origin": BUILD_INFO["origin"],
                      "version": zmq.zmq_version(), "backends": BUILD_INFO["backends"]}))
    """
)


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ZMQ_PREFIX", "PYTHONPATH", "PYZMQ_BACKEND")
    }
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
    )
    assert proc.returncode == 0, (
        f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc.stdout + proc.stderr


def source_copy(dest: Path) -> Path:
    """The tracked files of this checkout, without any build products."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for f in filter(None, files):
        rel = f.decode()
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def round_trip(python: str, tmp_path: Path, env: dict[str, str]) -> dict[str, object]:
    import json

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    out = run([python, "-c", ROUND_TRIP], elsewhere, env)
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    assert result["msg"] == "round trip"
    return result


def venv_python(base: Path) -> str:
    venv = base / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], base, clean_env())
    return str(venv / "bin" / "python")


@dataclass
class Built:
    base: Path  # the build's own temporary directory
    python: str  # interpreter that imports the result
    env: dict[str, str]  # environment for the round trip
    log: str  # build output


def pip_install(base: Path, extra_env: dict[str, str]) -> Built:
    src = source_copy(base / "src")
    python = venv_python(base)
    cmd = [python, "-m", "pip", "install", "-v", "--no-build-isolation", "--no-deps", str(src)]
    log = run(cmd, base, clean_env(**extra_env))
    return Built(base, python, clean_env(), log)


def build_ext_inplace(base: Path) -> Built:
    src = source_copy(base / "src")
    log = run(
        [sys.executable, "setup.py", "build_ext", "--inplace", "--zmq=/usr"], src, clean_env()
    )
    return Built(base, sys.executable, clean_env(PYTHONPATH=str(src)), log)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[Built]]]:
    """The three builds, started together (they spend much time single-threaded)."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        yield {
            "discovered": pool.submit(pip_install, tmp_path_factory.mktemp("discovered"), {}),
            "ZMQ_PREFIX=/usr": pool.submit(
                pip_install, tmp_path_factory.mktemp("zmq_prefix"), {"ZMQ_PREFIX": "/usr"}
            ),
            "inplace": pool.submit(build_ext_inplace, tmp_path_factory.mktemp("inplace")),
        }


@pytest.mark.parametrize(
    ("name", "origin"),
    [("discovered", ("pkg-config", "standard prefix")), ("ZMQ_PREFIX=/usr", ("ZMQ_PREFIX",))],
)
def test_pip_install(builds: dict[str, Future[Built]], name: str, origin: tuple[str, ...]) -> None:
    built = builds[name].result()
    assert "[zmq-build] using system libzmq" in built.log
    result = round_trip(built.python, built.base, built.env)
    assert str(built.base / "venv") in str(result["file"])
    assert result["origin"] in origin
    assert untracked_outputs(built.base / "src") == []  # generated files only in build/


def test_build_ext_inplace_with_zmq_option(builds: dict[str, Future[Built]]) -> None:
    built = builds["inplace"].result()
    src = built.base / "src"
    assert "[zmq-build] using system libzmq" in built.log and "(--zmq, prefix /usr" in built.log
    assert (src / "zmq" / "_build_info.py").read_text().startswith("# Generated by ")
    assert untracked_outputs(src) == [Path("zmq", "_build_info.py")]
    result = round_trip(built.python, built.base, built.env)
    assert str(result["file"]).startswith(str(src))
    assert result["origin"] == "--zmq"
    # after an in-place build the tree holds every generated file: none may leak into the sdist
    check_sdist(src, built.base)


def check_sdist(src: Path, tmp_path: Path) -> None:
    """The sdist carries every build input and none of the generated files."""
    import tarfile

    run(
        [sys.executable, "setup.py", "sdist", "--dist-dir", str(tmp_path / "dist")],
        src,
        clean_env(),
    )
    (tarball,) = (tmp_path / "dist").glob("pyzmq-*.tar.gz")
    with tarfile.open(tarball) as tar:
        members = {m.split("/", 1)[1] for m in tar.getnames() if "/" in m}
    for needed in (
        "setup.py",
        "pyproject.toml",
        "MANIFEST.in",
        "buildutils/probe_libzmq.c",
        "buildutils/constant_names.py",
        "zmq/backend/cython/_zmq.pyx",
        "zmq/backend/_zerocopy.h",
        "bundled/README.md",
        "tests/test_constants.py",
        "zmq/constants.py",
        "zmq/_build_info.pyi",
        "tools/regenerate_constants.py",
    ):
        assert needed in members, needed
    tracked_pxi = {p.relative_to(src).as_posix() for p in (src / "zmq").rglob("*.pxi")}
    assert tracked_pxi <= members
    generated = {m for m in members if m.endswith((".so", "_zmq.c"))}
    generated |= members & {"zmq/_build_info.py"}
    assert generated == set()


def untracked_outputs(src: Path) -> list[Path]:
    """Files under ``src/zmq`` that the source copy did not have, except the extension
    binaries an in-place build puts there."""
    tracked = set(
        subprocess.run(
            ["git", "ls-files", "zmq"], cwd=ROOT, capture_output=True, text=True
        ).stdout.split()
    )
    return sorted(
        p.relative_to(src)
        for p in (src / "zmq").rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.relative_to(src).as_posix() not in tracked
        and not p.name.endswith((".so", ".pyd"))
    )
