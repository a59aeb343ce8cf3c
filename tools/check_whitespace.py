"""Whitespace hygiene for the pre-commit hook: no trailing whitespace, one newline at the end.

    python tools/check_whitespace.py [--fix] FILE...

Reports each offending file (exit status 1); with ``--fix`` rewrites them in place (and
still exits 1, so that pre-commit shows what changed). Binary files (a NUL byte) are
skipped. Written here rather than taken from a hook repository so that the hooks run
offline.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

_TRAILING = re.compile(rb"[ \t]+(?=\r?\n|\Z)")


def problems(data: bytes) -> list[str]:
    """What is wrong with a file's content (empty if nothing)."""
    found = []
    trailing = _TRAILING.search(data)
    if trailing:
        line = data[: trailing.start()].count(b"\n") + 1
        found.append(f"trailing whitespace (first on line {line})")
    if not data:
        return found
    if not data.endswith(b"\n"):
        found.append("no newline at the end")
    elif data.endswith((b"\n\n", b"\n\r\n")) or not data.strip():
        found.append("blank lines at the end")
    return found


def fixed(data: bytes) -> bytes:
    """The content with trailing whitespace removed and exactly one final newline."""
    data = _TRAILING.sub(b"", data)
    newline = b"\r\n" if data.endswith(b"\r\n") else b"\n"
    body = data.rstrip(b"\r\n")
    return body + newline if body else b""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fix", action="store_true", help="rewrite offending files")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        data = path.read_bytes()
        if b"\0" in data:
            continue
        found = problems(data)
        if not found:
            continue
        status = 1
        if args.fix:
            path.write_bytes(fixed(data))
            print(f"{path}: fixed {', '.join(found)}")
        else:
            print(f"{path}: {', '.join(found)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
