#!/usr/bin/env bash
# Make a PyPy venv with this source tree installed (CFFI backend) and the test tools:
#   ci/pypy-venv.sh [VENV_DIR]        (default: .venv-pypy; PYPY=pypy3 picks the interpreter)
# then run `python -m zmq` from outside the tree as a smoke test. Re-running reuses the
# venv and rebuilds. Test with: VENV_DIR/bin/pytest -m "not slow"
# The install is editable: the PyPy extension (_cffi_zmq.pypy*.so) is built in the tree,
# next to CPython's, because some tests run the tree itself in a subprocess.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${1:-.venv-pypy}
PYPY=${PYPY:-pypy3}
# cffi comes with PyPy; Cython is not needed there (the build makes only the CFFI backend)
BUILD_DEPS=(pip setuptools packaging wheel)
TEST_DEPS=(pytest pytest-timeout "pytest-asyncio>=0.24")

[ -x "$VENV/bin/python" ] || "$PYPY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q -U "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}"
# the build dependencies are already in the venv: no isolated build environment
"$VENV/bin/python" -m pip install -q --no-build-isolation --no-deps -e .

VENV_ABS=$(cd "$VENV" && pwd)
(cd /tmp && "$VENV_ABS/bin/python" -m zmq)
