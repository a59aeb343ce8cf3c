"""The import graph of the installed zmq package: layers import downward, and no cycles.

Read statically (nothing is imported to find the edges): every ``zmq/**/*.py`` of the
installed package through its AST, and the Cython backend's ``.pyx``/``.pxi`` sources
(their ``import``/``cimport`` lines), taken from the installed package if it ships them,
else from this checkout's sources of the compiled module. The rules (docs/ARCHITECTURE.md,
"Import rules"):

- The backends (``zmq.backend`` and below) import only the backend itself and the leaf
  modules (``LEAVES``), which import nothing else from zmq: never the sugar or an
  integration, not even inside a function.
- No cycle among the imports that run while a module is imported (the module-level ones,
  outside ``if TYPE_CHECKING:``). An edge goes to the module that must have run: ``import
  a.b`` and ``from a import b`` (b a submodule) go to ``a.b``; ``from a import name`` goes
  to ``a`` (its ``__init__`` must have defined the name). Importing one's own ancestor
  package (``import zmq`` in ``zmq.sugar.socket``) is no edge: Python starts a package
  before its submodules, so that import runs nothing; a package ``__init__`` importing
  its submodules (its re-exports) is an edge like any other.

``.pyi`` stubs are not read: they run nowhere, and name types by their public paths.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

import zmq

PACKAGE = Path(zmq.__file__).resolve().parent
CHECKOUT_CYTHON = Path(__file__).resolve().parents[1] / "zmq" / "backend" / "cython"

BACKEND = "zmq.backend"
#: what the backends may import besides zmq.backend.*; each imports only other leaves
LEAVES = frozenset({"zmq.error", "zmq.constants", "zmq._tracker", "zmq._build_info"})


#: an import as read: (file:line, relative level, module, names or [] for `import`, runs at
#: import time)
Statement = tuple[str, int, str, list[str], bool]


@dataclass(frozen=True)
class Edge:
    source: str  # the importing module
    target: str  # the zmq module that must have run
    where: str  # file:line
    at_import: bool  # runs while the source module is imported (module level, not typing)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_modules() -> dict[str, Path]:
    found = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    assert "zmq.backend.cffi.socket" in found, f"no package sources under {PACKAGE}"
    return found


def is_package(name: str, modules: dict[str, Path]) -> bool:
    path = modules.get(name)
    return path is not None and path.name == "__init__.py"


def resolve(module: Optional[str], level: int, importer: str, importer_is_pkg: bool) -> str:
    if not level:
        return module or ""
    base = importer.split(".")
    base = base if importer_is_pkg else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_call(node: ast.AST) -> Optional[str]:
    """The module a call ``import_module("name")`` / ``__import__("name")`` imports."""
    if not (isinstance(node, ast.Call) and node.args):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    arg = node.args[0]
    if name in ("import_module", "__import__") and isinstance(arg, ast.Constant):
        return arg.value if isinstance(arg.value, str) else None
    return None


def _walk(node: ast.AST, at_import: bool) -> Iterator[tuple[ast.AST, bool]]:
    """Every import statement (or importlib call) under node, with whether it runs at
    import time."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)) or _import_call(child):
            yield child, at_import
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from _walk(child, False)
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), False)
            for stmt in child.orelse:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), at_import)
        else:
            yield from _walk(child, at_import)


def edges_of(
    importer: str,
    importer_is_pkg: bool,
    statements: Iterable[Statement],
    modules: dict[str, Path],
) -> Iterator[Edge]:
    """statements: (where, level, module, names, at_import); names empty for ``import``."""
    for where, level, module, names, at_import in statements:
        base = resolve(module, level, importer, importer_is_pkg)
        if not names:
            targets = [base]
        else:
            targets = [f"{base}.{n}" if f"{base}.{n}" in modules else base for n in names]
        for target in dict.fromkeys(targets):
            if target != "zmq" and not target.startswith("zmq."):
                continue
            if target in modules and importer.startswith(target + ".") and not names:
                continue  # `import <own ancestor package>` runs nothing
            yield Edge(importer, target, where, at_import)


def python_edges(modules: dict[str, Path]) -> Iterator[Edge]:
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        statements: list[Statement] = []
        for node, at_import in _walk(tree, True):
            where = f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', '?')}"
            called = _import_call(node)
            if called:
                statements.append((where, 0, called, [], at_import))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    statements.append((where, 0, alias.name, [], at_import))
            else:
                assert isinstance(node, ast.ImportFrom)
                names = [a.name for a in node.names]
                statements.append((where, node.level, node.module or "", names, at_import))
        yield from edges_of(name, path.name == "__init__.py", statements, modules)


CYTHON_IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)(?:from[ \t]+(?P<dots>\.*)(?P<from>[\w.]*)[ \t]+c?import[ \t]+"
    r"(?:\((?P<paren>[^)]*)\)|(?P<names>[\w., \t]+))|c?import[ \t]+(?P<mods>[\w., \t]+))",
    re.MULTILINE,
)
CYTHON_INCLUDE = re.compile(r"^include[ \t]+\"([^\"]+)\"", re.MULTILINE)


def cython_sources() -> list[Path]:
    """The Cython backend's .pyx files (they include its .pxi files) and .pxd files."""
    for directory in (PACKAGE / "backend" / "cython", CHECKOUT_CYTHON):
        pyx = sorted(directory.glob("*.pyx"))
        if pyx:
            return pyx + sorted(directory.glob("*.pxd"))
    pytest.fail(f"no Cython backend sources in {PACKAGE} or {CHECKOUT_CYTHON}")


def cython_statements(path: Path, seen: set[Path]) -> Iterator[Statement]:
    """The imports of a .pyx and the .pxi files it includes (recursively)."""
    seen.add(path)
    text = path.read_text(encoding="utf-8")
    for m in CYTHON_IMPORT.finditer(text):
        where = f"{path.name}:{text.count(chr(10), 0, m.start()) + 1}"
        at_import = not m.group("indent")  # indented: inside a def (or a class body)
        if m.group("mods"):
            for mod in m.group("mods").split(","):
                mod = mod.split(" as ")[0].strip()
                if mod:
                    yield where, 0, mod, [], at_import
        else:
            listed = m.group("paren") if m.group("paren") is not None else m.group("names")
            listed = re.sub(r"#[^\n]*", "", listed)
            names = [n.split(" as ")[0].strip() for n in listed.split(",")]
            names = [n for n in names if n]
            yield where, len(m.group("dots")), m.group("from"), names, at_import
    for inc in CYTHON_INCLUDE.findall(text):
        included = path.parent / inc
        if included not in seen and included.is_file():
            yield from cython_statements(included, seen)


def cython_edges(modules: dict[str, Path]) -> Iterator[Edge]:
    sources = cython_sources()
    known = dict(modules)  # cimported .pxd modules are modules of the package too
    for path in sources:
        if path.suffix == ".pxd" and path.stem != "__init__":
            known.setdefault(f"zmq.backend.cython.{path.stem}", path)
    for path in sources:
        is_pkg = path.stem == "__init__"
        name = "zmq.backend.cython" + ("" if is_pkg else f".{path.stem}")
        yield from edges_of(name, is_pkg, cython_statements(path, set()), known)


@pytest.fixture(scope="module")
def graph() -> list[Edge]:
    modules = python_modules()
    return [*python_edges(modules), *cython_edges(modules)]


def in_backend(name: str) -> bool:
    return name == BACKEND or name.startswith(BACKEND + ".")


def allowed(edge: Edge) -> bool:
    """The layering rule for backends and leaves (others are only checked for cycles)."""
    if in_backend(edge.source):
        return edge.target in LEAVES or in_backend(edge.target)
    if edge.source in LEAVES:
        # a leaf may call the selected backend (zmq.error: zmq_errno(), strerror()), but
        # not while it is being imported: the backends import it then
        return edge.target in LEAVES or (in_backend(edge.target) and not edge.at_import)
    return True


def boundary_violations(edges: Iterable[Edge]) -> list[str]:
    return [f"{e.where}: {e.source} imports {e.target}" for e in edges if not allowed(e)]


def find_cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a self-import),
    each as a list of modules (Tarjan's algorithm)."""
    succ: dict[str, set[str]] = {}
    for e in edges:
        if e.at_import:
            succ.setdefault(e.source, set()).add(e.target)
            succ.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(succ[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in succ[v]:
                components.append(sorted(component))

    for v in sorted(succ):
        if v not in index:
            visit(v)
    return components


def test_backends_import_only_the_backend_and_leaves(graph: list[Edge]) -> None:
    violations = boundary_violations(graph)
    assert not violations, "imports across the backend boundary:\n" + "\n".join(violations)


def test_no_import_cycles(graph: list[Edge]) -> None:
    described = [
        ", ".join(cycle)
        + "".join(
            f"\n  {e.where}: imports {e.target}"
            for e in graph
            if e.at_import and e.source in cycle and e.target in cycle
        )
        for cycle in find_cycles(graph)
    ]
    assert not described, "import cycles:\n" + "\n".join(described)


# --- the rules catch what they are for -----------------------------------------------


def test_a_backend_importing_the_sugar_or_an_integration_fails() -> None:
    modules = python_modules()
    for target, names in (("zmq.sugar.tracker", ["MessageTracker"]), ("zmq", ["asyncio"])):
        statements = [("socket.py:1", 0, target, names, False)]  # even inside a function
        edges = list(edges_of("zmq.backend.cffi.socket", False, statements, modules))
        assert boundary_violations(edges), target


def test_the_cython_sources_are_read(tmp_path: Path) -> None:
    """The lazy tracker import the Cython backend had is found in a .pxi."""
    (tmp_path / "mod.pyx").write_text('include "part.pxi"\nfrom zmq.error import ZMQError\n')
    (tmp_path / "part.pxi").write_text(
        "cdef object _trackers():\n    import zmq.sugar.tracker as _tracker_module\n"
    )
    statements = list(cython_statements(tmp_path / "mod.pyx", set()))
    edges = list(edges_of("zmq.backend.cython._zmq", False, statements, python_modules()))
    assert [(e.target, e.at_import) for e in edges] == [
        ("zmq.error", True),
        ("zmq.sugar.tracker", False),
    ]
    assert boundary_violations(edges) == [
        "part.pxi:2: zmq.backend.cython._zmq imports zmq.sugar.tracker"
    ]


def test_cycles_are_found_among_import_time_edges_only() -> None:
    modules = python_modules()

    def edges(importer: str, target: str, names: list[str], at_import: bool) -> list[Edge]:
        statements = [("x.py:1", 0, target, names, at_import)]
        return list(edges_of(importer, importer in ("zmq", "zmq.sugar"), statements, modules))

    chain = edges("zmq", "zmq.sugar", ["socket"], True) + edges(
        "zmq.sugar.socket", "zmq.error", [], True
    )
    assert find_cycles(chain) == []
    # a name read from the package while it is being imported: a cycle
    back = edges("zmq.sugar.socket", "zmq", ["Frame"], True)
    assert find_cycles(chain + back) == [["zmq", "zmq.sugar.socket"]]
    # the same import inside a function, or binding the ancestor package: none
    assert find_cycles(chain + edges("zmq.sugar.socket", "zmq", ["Frame"], False)) == []
    assert edges("zmq.sugar.socket", "zmq", [], True) == []
