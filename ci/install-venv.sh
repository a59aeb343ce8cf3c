#!/usr/bin/env bash
# Make (or reuse) a venv and install this package with extras into it; used by ci/setup.sh
# and the GitHub workflows, so both get the same venvs.
#   ci/install-venv.sh VENV INTERPRETER EXTRAS             build and install .[EXTRAS]
#   ci/install-venv.sh VENV INTERPRETER EXTRAS --deps-only the extras' requirements only: no
#                                                          build, no libzmq (the lint job;
#                                                          Python 3.11+ reads pyproject.toml)
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# < 3 || $# > 4)) || { (($# == 4)) && [[ $4 != --deps-only ]]; }; then
    sed -n '2,7s/^# \{0,1\}//p' "$0" >&2
    exit 2
fi
venv=$1 interp=$2 extras=$3 mode=${4:-}
BUILD_DEPS=(pip setuptools "Cython>=3.0.10" packaging "cffi>=1.16" wheel)

[ -x "$venv/bin/python" ] || "$interp" -m venv "$venv"
"$venv/bin/python" -m pip install -q -U "${BUILD_DEPS[@]}"
if [[ $mode == --deps-only ]]; then
    reqs=$(mktemp)
    trap 'rm -f "$reqs"' EXIT
    # pyproject.toml is the one list: pip evaluates each requirement's environment marker
    "$venv/bin/python" - "$extras" >"$reqs" <<'PY'
import sys
import tomllib

with open("pyproject.toml", "rb") as f:
    extras = tomllib.load(f)["project"]["optional-dependencies"]
for name in sys.argv[1].split(","):
    print("\n".join(extras[name]))
PY
    "$venv/bin/python" -m pip install -q -r "$reqs"
else
    # build deps are already in the venv: no isolated build env to download again
    "$venv/bin/python" -m pip install -q --no-build-isolation ".[$extras]"
fi
