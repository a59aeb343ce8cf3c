"""Rewrite the committed zmq/constants.py from buildutils/constant_names.py.

``--check`` writes nothing and exits 1 if the file is not what the list renders to (CI runs
it next to ruff). No libzmq or build is needed: the file depends on the list alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buildutils import constants_module  # noqa: E402


def main(argv: Optional[list[str]] = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    path = root / constants_module.PY_FILE
    text = constants_module.render()
    current = path.read_text() if path.exists() else None
    if args.check:
        if current != text:
            print(
                f"{constants_module.PY_FILE} is stale: run python tools/regenerate_constants.py",
                file=sys.stderr,
            )
            return 1
        return 0
    if current != text:
        path.write_text(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
