"""The import graph: no cycles, the platform below the apps, the apps side by side.

Read with `ast`, never imported: imports inside functions and `if TYPE_CHECKING:`
blocks count too, since they are dependencies all the same.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[1]
PACKAGES = ("plexomatic_site", "library", "backups", "notify", "bench")
APPS = ("library", "backups")
# Apps built on the ones above (notify reads the library's batches); those never import them,
# they announce through plexomatic_site.events.
UPPER_APPS = ("notify",)
# plexomatic_site's top layer combines the apps; the rest of it is the platform below them.
TOP_LAYER = ("plexomatic_site.pages", "plexomatic_site.urls", "plexomatic_site.management")
SKIPPED_FOLDERS = {"tests", "migrations"}

Graph = dict[str, set[str]]


def project_modules(root: Path, packages: Sequence[str]) -> dict[str, Path]:
    """Module name -> file, a package named by its `__init__.py`; tests and migrations skipped."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if SKIPPED_FOLDERS.intersection(parts[:-1]) or path.name == "conftest.py":
                continue
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imported_names(name: str, path: Path) -> Iterable[tuple[str, str | None]]:
    """(module, imported name or None) for every import statement anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            yield from ((base, alias.name) for alias in node.names)


def _resolve(module: str, attribute: str | None, modules: dict[str, Path]) -> str | None:
    """The project module an import loads: `a.b.c` if it is one, else `a.b`; None if foreign."""
    if attribute is not None and f"{module}.{attribute}" in modules:
        return f"{module}.{attribute}"
    while module and module not in modules:
        module = module.rpartition(".")[0]
    return module or None


def import_graph(root: Path, packages: Sequence[str]) -> Graph:
    """Each project module -> the project modules it imports."""
    modules = project_modules(root, packages)
    graph: Graph = {}
    for name, path in modules.items():
        targets = (_resolve(m, a, modules) for m, a in _imported_names(name, path))
        graph[name] = {target for target in targets if target is not None}
    return graph


def _reachable(graph: Graph, start: str) -> set[str]:
    """Every module `start` leads to; `start` itself only when it is on a cycle."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def cycle_components(graph: Graph) -> list[list[str]]:
    """The strongly connected components that are cycles (size > 1, or a self-loop)."""
    reach = {node: _reachable(graph, node) for node in graph}
    components = {
        frozenset(other for other in reach[node] if node in reach[other])
        for node in graph
        if node in reach[node]
    }
    return sorted(sorted(component) for component in components)


def _shortest_cycle(graph: Graph, start: str, members: set[str]) -> list[str]:
    """The shortest chain start -> ... -> start inside one component (breadth first)."""
    paths = deque([[start]])
    seen = {start}
    while paths:
        path = paths.popleft()
        for target in sorted(graph[path[-1]] & members):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                paths.append([*path, target])
    return [start]


def import_cycles(graph: Graph) -> list[str]:
    """Every cycle component as chains `a -> b -> a`, one shortest chain through each member."""
    chains: list[str] = []
    for component in cycle_components(graph):
        seen: set[frozenset[str]] = set()
        for member in component:
            cycle = _shortest_cycle(graph, member, set(component))
            if frozenset(cycle) not in seen:
                seen.add(frozenset(cycle))
                chains.append(" -> ".join(cycle))
    return chains


def within(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == prefix or module.startswith(f"{prefix}.") for prefix in prefixes)


def is_platform(module: str) -> bool:
    return within(module, ["plexomatic_site"]) and not within(module, TOP_LAYER)


def forbidden_imports(
    graph: Graph, importers: Iterable[str], forbidden: Iterable[str]
) -> list[str]:
    """`module -> imported` for each importer that imports anything under `forbidden`."""
    forbidden = tuple(forbidden)
    return [
        f"{module} -> {target}"
        for module in sorted(importers)
        for target in sorted(graph[module])
        if within(target, forbidden)
    ]


def report(title: str, lines: Sequence[str]) -> str:
    """The failure message: a title with the count, then one finding per line."""
    return "\n".join([f"{title} ({len(lines)}):", *(f"  {line}" for line in lines)])


GRAPH = import_graph(BASE_DIR, PACKAGES)


def test_graph_covers_the_project():
    assert {"plexomatic_site.settings", "library.models", "backups.models"} <= GRAPH.keys()
    assert not [module for module in GRAPH if ".tests" in module or ".migrations" in module]


def test_no_import_cycles():
    cycles = import_cycles(GRAPH)
    assert not cycles, report("Import cycles", cycles)


def test_platform_imports_no_app():
    platform = [module for module in GRAPH if is_platform(module)]
    pairs = forbidden_imports(GRAPH, platform, [*APPS, *UPPER_APPS, "bench"])
    assert not pairs, report("Platform modules importing an app", pairs)


def test_apps_do_not_import_the_apps_built_on_them():
    pairs = forbidden_imports(GRAPH, [m for m in GRAPH if within(m, APPS)], UPPER_APPS)
    assert not pairs, report("Apps importing an app built on them", pairs)


def test_apps_do_not_import_each_other():
    pairs = [
        pair
        for app in APPS
        for pair in forbidden_imports(
            GRAPH, [m for m in GRAPH if within(m, [app])], [a for a in APPS if a != app]
        )
    ]
    assert not pairs, report("Apps importing each other", pairs)


def test_nothing_imports_bench():
    pairs = forbidden_imports(GRAPH, [m for m in GRAPH if not within(m, ["bench"])], ["bench"])
    assert not pairs, report("Modules importing bench", pairs)


@pytest.fixture
def synthetic(tmp_path: Path) -> Graph:
    files = {
        "plexomatic_site/__init__.py": "",
        "plexomatic_site/a.py": "def f():\n    from plexomatic_site import b\n",
        "plexomatic_site/b.py": "def g():\n    from . import a\n",
        "plexomatic_site/jobs.py": "def h():\n    import library.models\n",
        "plexomatic_site/pages/__init__.py": "from library.models import Thing\n",
        "plexomatic_site/tests/test_x.py": "import bench\n",
        "library/__init__.py": "",
        "library/models.py": "if TYPE_CHECKING:\n    import backups\n",
        "library/services/__init__.py": "",
        "library/services/deep.py": "from ..models import Thing\nfrom ..services import x\n",
        "library/services/x.py": "import django.db\n",
        "library/migrations/0001_initial.py": "import plexomatic_site.a\n",
        "backups/__init__.py": "from . import thing\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return import_graph(tmp_path, ["plexomatic_site", "library", "backups"])


def test_checker_finds_a_cycle_in_function_bodies(synthetic):
    cycles = import_cycles(synthetic)
    assert cycles == [
        "backups -> backups",
        "plexomatic_site.a -> plexomatic_site.b -> plexomatic_site.a",
    ]
    assert report("Import cycles", cycles).startswith("Import cycles (2):\n  backups -> backups\n")


def test_checker_flags_a_platform_module_importing_an_app(synthetic):
    platform = [module for module in synthetic if is_platform(module)]
    assert "plexomatic_site.pages" not in platform  # the top layer may
    assert forbidden_imports(synthetic, platform, APPS) == [
        "plexomatic_site.jobs -> library.models"
    ]
    assert synthetic["library.models"] == {"backups"}  # under TYPE_CHECKING


def test_checker_resolves_relative_imports(synthetic):
    assert synthetic["library.services.deep"] == {"library.models", "library.services.x"}
    assert synthetic["library.services.x"] == set()  # django is not ours
    assert synthetic["backups"] == {"backups"}  # `thing` is no module: a name of backups
    skipped = {"plexomatic_site.tests.test_x", "library.migrations.0001_initial"}
    assert not skipped & synthetic.keys()
