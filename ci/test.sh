#!/usr/bin/env bash
# Quick start, command 2: the test suite on every backend (after ci/setup.sh).
#   CPython + Cython backend (the default), including the slow real-build tests;
#   CPython + CFFI backend; PyPy (CFFI backend); the draft API build (.venv-draft) on both
#   backends; pyzmq 27.3.0's own suite on all three, compared with pyzmq itself; then the
#   local wheel pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."

# static checks first: they take seconds
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# the committed zmq/constants.py is what buildutils/constant_names.py renders to
.venv/bin/python tools/regenerate_constants.py --check
.venv/bin/mypy
# the sdist holds every tracked file needed to build and test
.venv/bin/check-manifest --no-build-isolation
# the documentation site (API reference from the installed package's docstrings):
# warnings are errors, and its doctests run
.venv/bin/sphinx-build -E -W --keep-going -q -b html docs docs/_build/html
.venv/bin/sphinx-build -E -W --keep-going -q -b doctest docs docs/_build/doctest

# pytest (not `python -m pytest`): the source tree must not shadow the installed zmq
.venv/bin/pytest "$@"
PYZMQ_BACKEND=cffi .venv/bin/pytest -m "not slow" "$@"
.venv-pypy/bin/pytest -m "not slow" "$@"
# the draft API build: its tests must run there (ZMQ_REQUIRE_DRAFT_API turns a skip for a
# missing draft API into a failure), with the backend and sugar tests alongside
for backend in cython cffi; do
    ZMQ_REQUIRE_DRAFT_API=1 PYZMQ_BACKEND=$backend .venv-draft/bin/pytest -m "not slow" \
        tests/draft tests/backend tests/sugar tests/asyncio tests/test_constants.py "$@"
done

# pyzmq 27.3.0's own test suite (fetched, never stored here) on cython, cffi and PyPy: every
# test that passes on pyzmq itself on this machine must pass here, except the deliberate
# differences in tests/pyzmq_suite/differences.toml
.venv/bin/python tools/pyzmq_suite.py

# Wheels (issue 6): sdist -> bundled manylinux2014 wheels for every interpreter here ->
# auditwheel -> fresh venvs -> the suite against each installed wheel; also checks the
# cibuildwheel matrix and lints the workflows.
python3 tools/wheel_pipeline.py
