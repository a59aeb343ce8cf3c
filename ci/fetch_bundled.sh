#!/usr/bin/env bash
# Put verified libzmq + libsodium source tarballs into the cache buildutils/bundled/fetch.py
# reads (ZMQ_BUNDLED_CACHE_DIR, default ~/.cache/pyzmq-bundled), on a Debian machine whose
# only reachable archive is Debian's: the orig tarballs of the zeromq3 and libsodium source
# packages are accepted by sha256 (see TARBALLS in buildutils/bundled/fetch.py).
#
# Order: already cached -> a local copy ($DEBSRC_DIR, default /root/debsrc) -> apt-get source
# (enabling deb-src first if needed). Finally every tarball is re-checked by sha256 with the
# same code the build uses.
#
# Also cached: CPython's orig tarball (python3.11 source package), whose Windows headers
# (PC/pyconfig.h) tests/buildutils/test_windows_cross_slow.py compiles our extensions' C against.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${ZMQ_BUNDLED_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pyzmq-bundled}
debsrc=${DEBSRC_DIR:-/root/debsrc}
wanted=(zeromq3_4.3.4.orig.tar.gz libsodium_1.0.18.orig.tar.gz)
mkdir -p "$cache"

missing=()
for f in "${wanted[@]}"; do
    if [[ -f $cache/$f ]]; then
        continue
    elif [[ -f $debsrc/$f ]]; then
        cp "$debsrc/$f" "$cache/$f"
    else
        missing+=("$f")
    fi
done

enable_deb_src() {
    # deb822 sources (bookworm's default) or a one-line-style sources.list.
    local f changed=0
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        if grep -q '^Types: deb$' "$f"; then
            sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
            changed=1
        fi
    done
    if [[ -f /etc/apt/sources.list ]] && ! grep -q '^deb-src ' /etc/apt/sources.list; then
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >/etc/apt/sources.list.d/deb-src.list
        changed=1
    fi
    return $((1 - changed))
}

tmp=
apt_source() {  # apt_source PACKAGE...: download their source packages into $tmp
    if [[ -z $tmp ]]; then
        if ! apt-get indextargets --format '$(CREATED_BY)' 2>/dev/null | grep -q '^Sources$'; then
            enable_deb_src || true
        fi
        apt-get update -qq
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        # apt downloads as the _apt user where it can write
        if id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
    fi
    (cd "$tmp" && apt-get source --download-only -qq "$@")
}

if ((${#missing[@]})); then
    echo "fetch_bundled: ${missing[*]} not found locally; using apt-get source"
    apt_source zeromq3 libsodium
    for f in "${missing[@]}"; do
        cp "$tmp/$f" "$cache/$f"
    done
fi

python_src=python3.11
if ! compgen -G "$cache/${python_src}_*.orig.tar.*" >/dev/null; then
    if compgen -G "$debsrc/${python_src}_*.orig.tar.*" >/dev/null; then
        cp "$debsrc/${python_src}"_*.orig.tar.* "$cache/"
    else
        echo "fetch_bundled: CPython's source (Windows headers) not cached; using apt-get source"
        # only the orig tarball is used: a mirror lagging behind on the .dsc is no error
        apt_source "$python_src" || true
        cp "$tmp/${python_src}"_*.orig.tar.* "$cache/"
    fi
fi

ZMQ_BUNDLED_CACHE_DIR=$cache python3 - <<'EOF'
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
from buildutils.bundled.fetch import cache_dir, locate

for project in ("libzmq", "libsodium"):
    found = locate(project, Path("/nonexistent"), os.environ, allow_download=False)
    print(f"fetch_bundled: {project} {found.tarball.version}: {found.path} (sha256 verified)")
print(f"fetch_bundled: cache {cache_dir(os.environ)}")
EOF
