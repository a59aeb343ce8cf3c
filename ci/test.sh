#!/usr/bin/env bash
# Quick start, command 2: every check and test suite (after ci/setup.sh), or some steps:
#   ci/test.sh [STEP...] [-- PYTEST-ARGS...]     (no STEP: all of them, in this order)
#   ci/test.sh --list                            the step names
# Steps:
#   lint         pre-commit's hooks over every file (whitespace, ruff check, ruff format
#                --check, mypy, the generated constants) and check-manifest; no build needed
#   docs         the documentation site: warnings are errors, and its doctests run
#   cython       CPython + Cython backend (the default), including the slow real builds
#   cffi         CPython + CFFI backend
#   pypy         PyPy (CFFI backend)
#   draft        the draft API build (.venv-draft) on both backends
#   pyzmq-suite  pyzmq 27.3.0's own suite on cython, cffi and PyPy, compared with pyzmq
#   wheels       the local wheel pipeline
# The GitHub workflows run these same steps, each in some job (tests/tooling/test_ci_parity.py
# fails if a step is run by none). PYTEST-ARGS go to every pytest run of the chosen steps.
# pytest's exit status 5 (no tests ran) fails the run like any other failure.
set -euo pipefail
cd "$(dirname "$0")/.."

STEPS=(lint docs cython cffi pypy draft pyzmq-suite wheels)

run_step() {
    case $1 in
    lint)
        # the hooks find the pinned tools on PATH
        PATH="$PWD/.venv/bin:$PATH" .venv/bin/pre-commit run --all-files --show-diff-on-failure
        # the sdist holds every tracked file needed to build and test
        .venv/bin/check-manifest --no-build-isolation
        ;;
    docs)
        # the API reference is generated from the installed package's docstrings
        .venv/bin/sphinx-build -E -W --keep-going -q -b html docs docs/_build/html
        .venv/bin/sphinx-build -E -W --keep-going -q -b doctest docs docs/_build/doctest
        ;;
    # pytest (not `python -m pytest`): the source tree must not shadow the installed zmq
    cython) .venv/bin/pytest "${PYTEST_ARGS[@]}" ;;
    cffi) PYZMQ_BACKEND=cffi .venv/bin/pytest -m "not slow" "${PYTEST_ARGS[@]}" ;;
    pypy) .venv-pypy/bin/pytest -m "not slow" "${PYTEST_ARGS[@]}" ;;
    draft)
        # ZMQ_REQUIRE_DRAFT_API turns a skip for a missing draft API into a failure; the
        # backend and sugar tests run alongside
        for backend in cython cffi; do
            ZMQ_REQUIRE_DRAFT_API=1 PYZMQ_BACKEND=$backend .venv-draft/bin/pytest -m "not slow" \
                tests/draft tests/backend tests/sugar tests/asyncio tests/test_constants.py \
                "${PYTEST_ARGS[@]}"
        done
        ;;
    pyzmq-suite)
        # fetched, never stored here: every test that passes on pyzmq itself on this machine
        # must pass here, except the deliberate differences in tests/pyzmq_suite/differences.toml
        .venv/bin/python tools/pyzmq_suite.py
        ;;
    wheels)
        # sdist -> bundled manylinux2014 wheels for every interpreter here -> auditwheel ->
        # fresh venvs -> the suite against each installed wheel; also checks the cibuildwheel
        # matrix and lints the workflows
        python3 tools/wheel_pipeline.py
        ;;
    esac
}

chosen=()
PYTEST_ARGS=()
while (($#)); do
    case $1 in
    --list)
        printf '%s\n' "${STEPS[@]}"
        exit 0
        ;;
    --)
        shift
        PYTEST_ARGS=("$@")
        break
        ;;
    *)
        if [[ " ${STEPS[*]} " != *" $1 "* ]]; then
            echo "ci/test.sh: unknown step '$1' (steps: ${STEPS[*]}; pytest arguments go after --)" >&2
            exit 2
        fi
        chosen+=("$1")
        ;;
    esac
    shift
done
((${#chosen[@]})) || chosen=("${STEPS[@]}")

for step in "${chosen[@]}"; do
    echo "=== ci/test.sh $step" >&2
    run_step "$step"
done
