#!/bin/sh
# cibuildwheel before-all inside the manylinux/musllinux containers: find a Python 3 (the
# images keep theirs under /opt/python; python3 may be absent) and run the fetch step.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for py in python3 /opt/python/cp312-cp312/bin/python /opt/python/cp311-cp311/bin/python \
    /opt/python/cp310-cp310/bin/python; do
    if command -v "$py" >/dev/null 2>&1; then
        exec "$py" "$here/cibw_before_all.py"
    fi
done
echo "cibw_before_all.sh: no Python 3 found in this container" >&2
exit 1
