"""buildutils is layered: a module imports only from layers below its own, at module level.

The layers (described in ``buildutils/__init__.py``) are listed here; a module missing from
the list fails too, so a new module has to be placed. An import from the same or a higher
layer, an import inside a function (the usual way to hide a cycle), and ``importlib`` /
``__import__`` all fail. Strict layering leaves no room for cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "buildutils"

#: Lowest first; a module may import the modules of earlier entries only.
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(f"{PACKAGE}.{m}" for m in layer.split())
    for layer in (
        "model compiler msg constant_names",
        "discover probe header_constants constants_module buildinfo",
        "bundled.fetch bundled.patch bundled.target",
        "bundled.checks",
        "bundled.libzmq_config bundled.libsodium_config bundled.compile",
        "bundled.build",
        "config",
        "build_cffi",
        "build_ext",
    )
)
#: Package ``__init__`` modules hold documentation only: they import nothing of ours.
PACKAGES = frozenset({PACKAGE, f"{PACKAGE}.bundled"})


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path, package: str = PACKAGE) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}


def imported(node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    """The package's modules an import statement loads (``from pkg import mod`` names mod)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == PACKAGE]
    if node.level or not node.module or node.module.split(".")[0] != PACKAGE:
        return [f"(relative import of {node.module or '.'})"] if node.level else []
    out = []
    for alias in node.names:
        sub = f"{node.module}.{alias.name}"
        out.append(sub if sub in known else node.module)
    return out


def problems(root: Path, layers: tuple[frozenset[str], ...], packages: frozenset[str]) -> list[str]:
    """Every layering violation under ``root``, one line each."""
    found = modules(root)
    layer_of = {m: i for i, layer in enumerate(layers) for m in layer}
    out = [f"{m}: in no layer" for m in found if m not in layer_of and m not in packages]
    out += [f"{m}: listed but does not exist" for m in layer_of if m not in found]
    for name, path in found.items():
        tree = ast.parse(path.read_text(), str(path))
        deferred: set[int] = set()
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                deferred |= {id(n) for n in ast.walk(fn) if n is not fn}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
                out.append(f"{name}:{node.lineno}: __import__()")
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if "importlib" in mods or (
                isinstance(node, ast.ImportFrom) and (node.module or "").startswith("importlib")
            ):
                out.append(f"{name}:{node.lineno}: imports importlib")
            for target in imported(node, set(found)):
                where = f"{name}:{node.lineno}: imports {target}"
                if id(node) in deferred:
                    out.append(f"{where} inside a function")
                elif name in packages:
                    out.append(f"{where} (a package __init__ imports nothing of ours)")
                elif target not in layer_of or name not in layer_of:
                    continue  # reported above
                elif layer_of[target] >= layer_of[name]:
                    out.append(f"{where}, which is not in a lower layer")
    return out


def test_buildutils_imports_only_downward() -> None:
    assert problems(ROOT, LAYERS, PACKAGES) == []


def test_the_check_catches_each_kind_of_violation(tmp_path: Path) -> None:
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from buildutils import low\n")
    (pkg / "low.py").write_text("from buildutils.high import thing\n")
    (pkg / "high.py").write_text(
        "import importlib\nfrom buildutils import low\n\n"
        "def f():\n    from buildutils import sub\n    return __import__('x')\n"
    )
    (pkg / "stray.py").write_text("")
    layers = (frozenset({"buildutils.low"}), frozenset({"buildutils.high", "buildutils.gone"}))
    found = problems(tmp_path, layers, frozenset({"buildutils", "buildutils.sub"}))
    assert sorted(found) == sorted(
        [
            "buildutils.stray: in no layer",
            "buildutils.gone: listed but does not exist",
            "buildutils.sub:1: imports buildutils.low (a package __init__ imports nothing of ours)",
            "buildutils.low:1: imports buildutils.high, which is not in a lower layer",
            "buildutils.high:1: imports importlib",
            "buildutils.high:5: imports buildutils.sub inside a function",
            "buildutils.high:6: __import__()",
        ]
    )
