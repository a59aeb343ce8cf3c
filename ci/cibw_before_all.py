"""cibuildwheel before-all: fetch the verified libzmq + libsodium tarballs once per platform.

They land in the cache directory buildutils/bundled/fetch.py reads (``ZMQ_BUNDLED_CACHE_DIR``
or the user cache), so every wheel built afterwards on this runner or container finds them
there instead of downloading its own copy. Runs with any Python 3.6+ (whatever the runner
or container offers), and touches nothing but the cache.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buildutils.bundled.fetch import BundleError, cache_dir, locate  # noqa: E402


def main() -> int:
    print(f"bundled tarball cache: {cache_dir(os.environ)}")
    for project in ("libzmq", "libsodium"):
        try:
            found = locate(project, ROOT / "bundled", os.environ)
        except BundleError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        print(
            f"{project}: {found.tarball.filename} {found.tarball.version} ({found.how}: {found.path})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
