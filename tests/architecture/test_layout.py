"""The layout rules of docs/ARCHITECTURE.md, checked on the source: no import cycle between docsearch's packages
and top modules (imports inside functions count), no SQL outside the store, no hand-written file locking, the
adapters (CLI, API) never reach past the service into the store."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("docsearch", "api")


def _unit(module: str) -> str:
    """The unit a module belongs to: a subpackage of docsearch (docsearch.index) or a top module (docsearch.cli)."""
    parts = module.split(".")
    if parts[0] == "api":
        return "api"
    return ".".join(parts[:2])


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module this file imports, at the top or inside a function, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)  # `from docsearch import service`
    return {m for m in out if m.split(".")[0] in PACKAGES}


def source_files() -> list[Path]:
    return sorted(f for p in PACKAGES for f in (ROOT / p).rglob("*.py"))


def unit_graph() -> dict[str, set[str]]:
    known = {_module_name(f) for f in source_files()}
    graph: dict[str, set[str]] = {}
    for f in source_files():
        me = _unit(_module_name(f))
        graph.setdefault(me, set())
        for m in _imports(f):
            while m not in known and "." in m:  # `docsearch.index.Index` → docsearch.index
                m = m.rsplit(".", 1)[0]
            if m in known and _unit(m) != me and m != "docsearch":
                graph[me].add(_unit(m))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_between_units():
    graph = unit_graph()
    assert "docsearch.index" in graph and "docsearch.search" in graph  # the walk found the code
    assert cycles(graph) == []


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


SQL = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b",
                 re.IGNORECASE)
STORE_FILES = ("docsearch/index/store.py", "docsearch/index/store_pg.py", "docsearch/index/cache.py")


def _code_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_sql_outside_the_store():
    found = []
    for f in source_files():
        rel = f.relative_to(ROOT).as_posix()
        if rel in STORE_FILES:
            continue
        text = f.read_text(encoding="utf-8")
        found += [f"{rel}:{line}" for line, s in _code_strings(f) if SQL.search(s)]
        found += [f"{rel}: .execute(" for _ in re.finditer(r"\.execute\(", text)]
        found += [f"{rel}: .db" for _ in re.finditer(r"\.db\b", text)]
    assert found == []


def test_the_sql_check_sees_sql():
    assert SQL.search("SELECT id FROM clauses") and SQL.search("insert or replace into meta values (?,?)")
    assert not SQL.search("Chọn (select) một văn bản từ danh sách")


def test_no_hand_written_file_locks():
    users = [f.relative_to(ROOT).as_posix() for f in source_files()
             if re.search(r"^\s*(import fcntl|from fcntl)", f.read_text(encoding="utf-8"), re.M)]
    assert users == []


def test_adapters_do_not_reach_into_the_store():
    """The CLI and the API call the service; the store is the index's business."""
    adapters = [f for f in source_files() if f.relative_to(ROOT).parts[0] == "api"
                or f.name in ("cli.py",) or "docsearch/cli" in f.as_posix()]
    assert adapters
    found = [f"{f.relative_to(ROOT)}:{i}" for f in adapters
             for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if ".store." in line]
    assert found == []
