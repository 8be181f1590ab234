"""The layout of `stations/` (DESIGN §4): one package per concern and no import circles.

Imports are read from the source with `ast`, wherever they stand: an import inside a function still
ties the two modules together (it only postpones the circle to the first call), so it counts too.
Test modules and migrations are left out; an `__init__.py` is the module of its package.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STATIONS = ROOT / "stations"

# The concerns that have a package of their own, and the flat modules they replaced.
PACKAGES = ("accounts", "audit", "backup", "exports", "notifications", "reports", "search")
OLD_FLAT_MODULES = (
    "annual_report",
    "audit",
    "backup",
    "charts",
    "dashboards",
    "jobs",
    "lockout",
    "mfa",
    "mfa_urls",
    "passwords",
    "signals",
    "summary",
    "tasks",
    "urls_reports",
    "views_reports",
)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(top: Path) -> list[Path]:
    return sorted(
        path
        for path in top.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(top).parts) and not path.name.startswith("test_")
    )


def imported_names(path: Path, root: Path = ROOT) -> list[str]:
    """Every module name `path` imports, relative imports resolved; `from X import Y` gives X.Y and X."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own = module_name(path, root)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            names.append(prefix)
            names += [f"{prefix}.{alias.name}" for alias in node.names]
    return names


def import_graph(top: Path = STATIONS, root: Path = ROOT) -> dict[str, set[str]]:
    """Module → the modules of the same tree it imports (a name that is no module of the tree is dropped)."""
    files = source_files(top)
    modules = {module_name(path, root) for path in files}
    graph = {}
    for path in files:
        own = module_name(path, root)
        targets = set()
        for name in imported_names(path, root):
            # `from pkg import mod` names a module; `from mod import func` names its module.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != own:
                targets.add(name)
        graph[own] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_circle_finder_finds_a_circle_through_a_function_level_import(tmp_path):
    """The check itself can fail: two modules that import each other, one of them inside a function."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import helper\n")
    (package / "b.py").write_text("def helper():\n    from pkg.a import x\n")
    (package / "c.py").write_text("from . import a\n")
    graph = import_graph(package, tmp_path)
    assert graph["pkg.c"] == {"pkg", "pkg.a"}
    assert circles(graph) == [["pkg.a", "pkg.b"]]


def test_stations_modules_import_each_other_in_one_direction_only():
    graph = import_graph()
    assert "stations.reports.dashboards" in graph["stations.reports.pdf"]  # the graph is read at all
    assert circles(graph) == []


def test_each_concern_is_a_package_and_no_old_flat_module_is_left():
    left = [f"stations/{name}.py" for name in OLD_FLAT_MODULES if (STATIONS / f"{name}.py").exists()]
    assert left == []
    for name in PACKAGES:
        assert (STATIONS / name / "__init__.py").is_file(), name
        assert f"stations.{name}" in settings.INSTALLED_APPS, name
