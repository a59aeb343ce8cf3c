"""Apply the small unified diffs in ``buildutils/bundled/patches/<project>-<version>/`` to a source tree.

No ``patch`` program is needed: each hunk's old lines must appear in the file exactly (searched
nearest the line number the hunk names); anything else is a clear error, never a fuzzy apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PATCH_DIR = Path(__file__).resolve().parent / "patches"

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@")


class PatchError(Exception):
    pass


@dataclass
class Hunk:
    start: int  # 1-based line of the old text, as the diff states it
    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


@dataclass
class FilePatch:
    path: str  # relative to the tree root, the leading a/ b/ component removed
    hunks: list[Hunk] = field(default_factory=list)


def parse(text: str) -> list[FilePatch]:
    files: list[FilePatch] = []
    hunk: Hunk | None = None
    old_left = new_left = 0
    for line in text.splitlines():
        if hunk is not None and (old_left or new_left):
            tag, body = line[:1] or " ", line[1:]
            if tag == "\\":
                continue  # "\ No newline at end of file"
            if tag not in " -+":
                raise PatchError(f"malformed hunk line: {line!r}")
            if tag in " -":
                hunk.old.append(body)
                old_left -= 1
            if tag in " +":
                hunk.new.append(body)
                new_left -= 1
            continue
        if line.startswith("+++ "):
            name = line[4:].split("\t")[0].strip()
            files.append(FilePatch(name.split("/", 1)[1] if "/" in name else name))
        elif (m := _HUNK.match(line)) is not None:
            if not files:
                raise PatchError("hunk before any file header")
            hunk = Hunk(int(m.group(1)))
            old_left = int(m.group(2) or 1)
            new_left = int(m.group(3) or 1)
            files[-1].hunks.append(hunk)
    if old_left or new_left:
        raise PatchError("patch ends inside a hunk")
    return files


def apply_to(tree: Path, patch_text: str, label: str = "patch") -> list[str]:
    """Apply ``patch_text`` under ``tree``; returns the patched relative paths."""
    done: list[str] = []
    for fp in parse(patch_text):
        target = tree / fp.path
        if not target.is_file():
            raise PatchError(f"{label}: {fp.path} does not exist in {tree}")
        raw = target.read_text(encoding="utf-8")
        lines = raw.splitlines()
        # Later hunks first, so earlier line numbers stay valid.
        for hunk in sorted(fp.hunks, key=lambda h: h.start, reverse=True):
            at = _find(lines, hunk.old, hunk.start - 1)
            if at < 0:
                raise PatchError(f"{label}: hunk at line {hunk.start} of {fp.path} does not apply")
            lines[at : at + len(hunk.old)] = hunk.new
        target.write_text("\n".join(lines) + ("\n" if raw.endswith("\n") else ""), "utf-8")
        done.append(fp.path)
    return done


def _find(lines: list[str], old: list[str], hint: int) -> int:
    n = len(old)
    candidates = [i for i in range(len(lines) - n + 1) if lines[i : i + n] == old]
    return min(candidates, key=lambda i: abs(i - hint)) if candidates else -1


def patches_for(project: str, version: str) -> list[Path]:
    d = PATCH_DIR / f"{project}-{version}"
    return sorted(d.glob("*.patch")) if d.is_dir() else []


def apply_all(tree: Path, project: str, version: str) -> list[str]:
    """Apply every patch for ``project`` ``version`` in name order; returns their names."""
    names = []
    for p in patches_for(project, version):
        apply_to(tree, p.read_text(encoding="utf-8"), p.name)
        names.append(p.name)
    return names
