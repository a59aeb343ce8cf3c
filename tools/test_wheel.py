"""Test an installed zmq wheel: smoke checks, then the test suite from a directory without zmq/.

cibuildwheel's ``test-command`` and the local wheel pipeline (tools/wheel_pipeline.py) run it
with the wheel installed in the current interpreter. It refuses to test a source tree: zmq must
be imported from site-packages.

    python tools/test_wheel.py [--suite full|reduced|none] [--expect-kind bundled|system]

Suites (the tests/ folder next to this script's parent):
  full     every test except those of the source tree (tests/buildutils, the wheel
           configuration, the real builds from the checkout: see source_tree_tests);
  reduced  tests/backend + tests/sugar, the subset run on each extra interpreter.
Each backend the wheel built runs the chosen suite; a second backend runs the reduced one.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
TESTS = HERE / "tests"
#: Tests of the source tree rather than of zmq: its build helpers, wheel configuration and
#: CI tooling.
# the import-graph test reads the Cython backend's .pyx/.pxi sources, which wheels do not ship
SOURCE_TREE_ONLY = ["buildutils", "tooling", "test_import_graph.py"]
REDUCED = ["backend", "sugar"]
IMPORTS_BUILDUTILS = re.compile(r"^(from|import) buildutils\b", re.M)


def source_tree_tests() -> list[Path]:
    """What the full suite leaves out: SOURCE_TREE_ONLY, the real builds (``*_slow.py``, which
    build from the checkout) and any test module importing buildutils."""
    found = [TESTS / name for name in SOURCE_TREE_ONLY]
    for path in sorted(TESTS.rglob("test_*.py")):
        if path.name.endswith("_slow.py") or IMPORTS_BUILDUTILS.search(path.read_text()):
            if not any(p == path or p in path.parents for p in found):
                found.append(path)
    return found


def _site_dirs() -> list[Path]:
    paths = sysconfig.get_paths()
    return [Path(paths[k]).resolve() for k in ("purelib", "platlib")]


def import_installed_zmq() -> None:
    """Import zmq, making sure it is the installed copy and not a source checkout."""
    for entry in ("", ".", str(HERE)):
        while entry in sys.path:
            sys.path.remove(entry)
    import zmq

    where = Path(zmq.__file__).resolve().parent
    if not any(site == where.parent for site in _site_dirs()):
        raise SystemExit(f"zmq was imported from {where}, not from site-packages: refusing")


def smoke(expect_kind: str) -> list[str]:
    """Checks every wheel must pass; returns its backends, the default one first."""
    import zmq as z
    from zmq._build_info import BUILD_INFO

    print(f"zmq {z.pyzmq_version()} from {Path(z.__file__).parent}", flush=True)
    print(f"libzmq {z.zmq_version()}, backend {z.backend.__impl__}, build {BUILD_INFO['kind']}")
    assert BUILD_INFO["kind"] == expect_kind, f"built as {BUILD_INFO['kind']}, not {expect_kind}"
    if expect_kind == "bundled":
        assert BUILD_INFO["libsodium"], "bundled build without libsodium"
        assert z.has("curve"), "bundled libzmq without CURVE"
    with z.Context() as ctx:
        public, secret = z.curve_keypair()
        server = ctx.socket(z.PULL)
        client = ctx.socket(z.PUSH)
        for s in (server, client):
            s.linger = 0
            s.rcvtimeo = s.sndtimeo = 5000
        server.curve_server = True
        server.curve_secretkey = secret
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client.curve_serverkey = public
        client.curve_publickey, client.curve_secretkey = z.curve_keypair()
        client.connect(f"tcp://127.0.0.1:{port}")
        client.send(b"wheel smoke")
        assert server.recv() == b"wheel smoke"
        server.close()
        client.close()
    print("smoke: CURVE round trip over tcp OK", flush=True)
    default = "cffi" if sys.implementation.name == "pypy" else "cython"
    return sorted(BUILD_INFO["backends"], key=lambda b: b != default)


def run_suite(suite: str, backend: str) -> int:
    if suite == "none":
        return 0
    if suite == "reduced":
        args = [str(TESTS / name) for name in REDUCED]
    else:
        args = [str(TESTS)] + [f"--ignore={path}" for path in source_tree_tests()]
    env = dict(os.environ, PYZMQ_BACKEND=backend, PYTHONSAFEPATH="1")
    cmd = [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider", "-m", "not slow"]
    print(f"+ PYZMQ_BACKEND={backend} {' '.join(cmd)}", flush=True)
    return subprocess.call(cmd, cwd=HERE, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", choices=["full", "reduced", "none"], default="full")
    parser.add_argument("--expect-kind", choices=["bundled", "system"], default="bundled")
    opts = parser.parse_args(argv)
    import_installed_zmq()
    backends = smoke(opts.expect_kind)
    others = "none" if opts.suite == "none" else "reduced"
    status = 0
    for i, backend in enumerate(backends):
        if i and backend == "cffi" and importlib.util.find_spec("_cffi_backend") is None:
            # cffi is a runtime dependency on PyPy only; on CPython the CFFI backend is opt-in.
            print("note: cffi is not installed; the CFFI backend's tests are not run", flush=True)
            continue
        status = max(status, run_suite(opts.suite if i == 0 else others, backend))
    return status


if __name__ == "__main__":
    sys.exit(main())
