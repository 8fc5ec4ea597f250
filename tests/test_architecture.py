"""The packages of annotator/ import one another without cycles: each can be read, tested and
changed from the ones below it. Parsed with `ast`, so imports inside functions count too."""

import ast
from pathlib import Path

import annotator

PACKAGE = Path(annotator.__file__).parent


def test_no_import_cycle_between_packages():
    cycles = _cycles(_package_graph())
    assert cycles == [], "import cycles between: " + "; ".join(", ".join(cycle) for cycle in cycles)


def test_a_stored_schema_becomes_a_schema_in_one_place():
    """Only the store reads stored definitions to parse them (the audit export copies them out
    as stored); everything else asks the store (projects.schema_store.schema_of)."""
    readers = {
        path.relative_to(PACKAGE).as_posix(): path
        for path in PACKAGE.rglob("*.py")
        if "versions" not in path.parts and _reads_stored_definitions(path)
    }
    assert set(readers) == {"projects/schema_store.py", "exporting/audit.py"}
    assert _calls(readers["projects/schema_store.py"], "parse") and not _calls(readers["exporting/audit.py"], "parse")


def _reads_stored_definitions(path: Path) -> bool:
    return any(
        isinstance(node, ast.Attribute)
        and node.attr == "definition"
        and isinstance(node.value, ast.Name)
        and node.value.id == "ProjectSchema"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


def _calls(path: Path, method: str) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


def test_a_cycle_is_found_and_named():
    graph = {
        "annotator.a": {"annotator.b"},
        "annotator.b": {"annotator.c"},
        "annotator.c": {"annotator.a"},
        "annotator.d": {"annotator.a"},
    }
    assert [sorted(cycle) for cycle in _cycles(graph)] == [["annotator.a", "annotator.b", "annotator.c"]]


def test_imports_inside_functions_and_from_the_package_count(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.py").write_text("def f():\n    from annotator import b\n")
    (tmp_path / "b.py").write_text("import annotator.a.x\n")
    assert _package_graph(tmp_path) == {"annotator.a": {"annotator.b"}, "annotator.b": {"annotator.a"}}


def _package_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Which package (or top-level module) of annotator imports which other."""
    graph: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        if "versions" in path.relative_to(root).parts:  # Alembic's migration scripts
            continue
        module = _module_name(path, root)
        for imported in _imports(path, module, root):
            if _package(imported) != _package(module):
                graph.setdefault(_package(module), set()).add(_package(imported))
    return graph


def _module_name(path: Path, root: Path) -> str:
    parts = ["annotator", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str, root: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if _ours(alias.name))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, path.name == "__init__.py")
            if _ours(base):  # `from annotator import x` imports annotator.x when x is a module
                yield from (
                    f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}", root) else base for alias in node.names
                )


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module
    parts = module.split(".")
    parts = parts[: len(parts) - node.level + (1 if is_package else 0)]
    return ".".join(parts + ([node.module] if node.module else []))


def _ours(name: str) -> bool:
    return name == "annotator" or name.startswith("annotator.")


def _is_module(name: str, root: Path) -> bool:
    path = root.joinpath(*name.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one package (Tarjan): each names the
    packages that import one another, directly or through the others."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for neighbour in sorted(graph.get(node, ())):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component[::-1])

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
