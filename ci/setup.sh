#!/usr/bin/env bash
# Quick start, command 1 (fresh Debian/Ubuntu, as root): system packages, a CPython venv
# (.venv), a PyPy venv (.venv-pypy) and a CPython venv built with libzmq's draft API
# (.venv-draft) with the package and test dependencies installed, then `python -m zmq`
# as a smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# MinGW-w64 + Wine: tests/buildutils/test_windows_cross_slow.py builds the bundled libzmq for Windows;
# OpenSSH: tests/ssh runs a real sshd; iproute2: tests/reliability/test_network_faults.py
# makes network namespaces (ip netns, veth)
apt-get install -y -qq --no-install-recommends \
    build-essential git libzmq3-dev pkg-config \
    python3 python3-dev python3-venv \
    pypy3 pypy3-venv pypy3-dev \
    g++-mingw-w64-x86-64-win32 wine64 \
    openssh-server openssh-client \
    iproute2

# verified libzmq + libsodium tarballs for the bundled-build tests (offline: Debian's orig tarballs)
bash ci/fetch_bundled.sh

PYTHON=${PYTHON:-python3}
BUILD_DEPS=(pip setuptools "Cython>=3.0.10" packaging "cffi>=1.16" wheel)

install_into() {  # install_into VENV_DIR INTERPRETER EXTRAS
    local venv=$1 interp=$2 extras=$3
    [ -x "$venv/bin/python" ] || "$interp" -m venv "$venv"
    "$venv/bin/python" -m pip install -q -U "${BUILD_DEPS[@]}"
    # build deps are already in the venv: no isolated build env to download again
    "$venv/bin/python" -m pip install -q --no-build-isolation ".[$extras]"
}

install_into .venv "$PYTHON" dev   # dev = test + ruff, mypy (the typing test needs mypy)
install_into .venv-pypy pypy3 test
# the draft API variant: the bundled libzmq with its draft API (Debian's has none);
# ci/test.sh runs tests/draft against it on both backends
ZMQ_DRAFT_API=1 install_into .venv-draft "$PYTHON" test

# pyzmq 27.3.0 itself, never in the venvs above, beside each of them with the same packages
# at the same versions (tornado, gevent, mypy, pytest...): tools/pyzmq_suite.py runs pyzmq's
# own test suite on both and compares; tests/test_typing_corpus.py type-checks the corpus
# against it too (with .venv's mypy and pyright, reading .venv-pyzmq's packages)
.venv/bin/python tools/pyzmq_suite.py --make-baselines
.venv/bin/python tools/pyzmq_suite.py --fetch-only

# smoke test from outside the source tree, so the installed package is what runs
(cd /tmp && "$OLDPWD/.venv/bin/python" -m zmq && "$OLDPWD/.venv-pypy/bin/python" -m zmq \
    && "$OLDPWD/.venv-draft/bin/python" -m zmq | grep -x "draft API: on (zmq.DRAFT_API)")
