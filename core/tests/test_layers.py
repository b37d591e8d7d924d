"""The import graph keeps the layers: a plain scan of every import of every project module — at the top of a file and
inside functions alike, so an import moved into a function to dodge a cycle still counts — fails on an import from a
lower layer to a higher one (or between independent siblings) and on any cycle between apps or between files.

The layers are read from the import-linter contract in ``.importlinter`` (one list for both checks); the modules are
those of ``core.project.apps_list()`` plus ``config``. ``tests/`` and ``migrations/`` are not scanned.
"""

from __future__ import annotations

import ast
import configparser
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from core.project import app_modules

SKIPPED_DIRS = {"tests", "migrations", "__pycache__"}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} ({self.path}:{self.line})"


def contract_layers(config_file: Path) -> dict[str, tuple[int, bool]]:
    """package -> (rank, independent of its siblings) from the layers contract; the top layer has the highest rank."""
    parser = configparser.ConfigParser()
    parser.read(config_file)
    lines = [ln.strip() for ln in parser["importlinter:contract:layers"]["layers"].splitlines() if ln.strip()]
    layers: dict[str, tuple[int, bool]] = {}
    for rank, line in enumerate(reversed(lines)):
        independent = "|" in line
        for name in line.replace("|", " ").replace(":", " ").split():
            layers[name.strip("()")] = (rank, independent)
    return layers


def module_files(base: Path, packages: list[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the given top-level packages (``pkg`` for pkg/__init__.py)."""
    found = {}
    for package in packages:
        for path in sorted((base / package).rglob("*.py")):
            rel = path.relative_to(base)
            if SKIPPED_DIRS & set(rel.parts[:-1]):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def scan(base: Path, packages: list[str]) -> list[Import]:
    """Every import between the modules of ``packages``, wherever it stands in the file."""
    modules = module_files(base, packages)
    imports = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    source = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                # ``from pkg import mod`` imports the module pkg.mod when there is one, else names of pkg
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
            for target in targets:
                # the nearest project module that the dotted name refers to
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    imports.append(Import(name, target, str(path.relative_to(base)), node.lineno))
    return sorted(set(imports), key=lambda i: (i.path, i.line, i.imported))


def upward_imports(imports: list[Import], layers: dict[str, tuple[int, bool]]) -> list[Import]:
    """Imports that go to a higher layer, or across to an independent sibling."""
    bad = []
    for imp in imports:
        low, high = imp.importer.split(".")[0], imp.imported.split(".")[0]
        if low == high:
            continue
        (rank_from, independent), (rank_to, _) = layers[low], layers[high]
        if rank_to > rank_from or (rank_to == rank_from and independent):
            bad.append(imp)
    return bad


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    nodes = sorted(set(edges) | {n for targets in edges.values() for n in targets})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return sorted(found)


def cycle_report(imports: list[Import], *, shown: int = 5) -> list[str]:
    """Cycles between apps and between files: each with its edges and (up to ``shown`` per edge) the imports."""
    report = []
    for level, key in (("apps", lambda m: m.split(".")[0]), ("files", lambda m: m)):
        by_edge: dict[tuple[str, str], list[Import]] = defaultdict(list)
        for imp in imports:
            if key(imp.importer) != key(imp.imported):
                by_edge[(key(imp.importer), key(imp.imported))].append(imp)
        edges: dict[str, set[str]] = defaultdict(set)
        for frm, to in by_edge:
            edges[frm].add(to)
        for component in cycles(edges):
            members = set(component)
            lines = [f"cycle between {level} {' <-> '.join(component)}:"]
            for (frm, to), found in sorted(by_edge.items()):
                if frm in members and to in members:
                    lines.append(f"  {frm} -> {to}: {len(found)} import(s)")
                    lines += [f"    {imp}" for imp in found[:shown]]
                    if len(found) > shown:
                        lines.append(f"    … and {len(found) - shown} more")
            report.append("\n".join(lines))
    return report


def _project() -> tuple[Path, list[str], dict[str, tuple[int, bool]]]:
    base = Path(settings.BASE_DIR)
    return base, ["config", *app_modules()], contract_layers(base / ".importlinter")


# --- templates keep the layers too: an app's template includes or extends only templates of its layer or below ------

TEMPLATE_TAG = re.compile(r"""{%-?\s*(?:include|extends)\s+["']([^"']+)["']""")


@dataclass(frozen=True)
class TemplateUse:
    app: str  # the app whose template uses another
    used: str  # the template name it includes or extends
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line} uses {self.used}"


def template_uses(base: Path, packages: list[str]) -> list[TemplateUse]:
    """Every literal {% include %} and {% extends %} in the templates of ``packages`` (<app>/templates/**)."""
    uses = []
    for package in packages:
        for path in sorted((base / package / "templates").rglob("*")):
            if not path.is_file() or path.suffix not in {".html", ".txt", ".xml", ".svg"}:
                continue
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                uses += [TemplateUse(package, m.group(1), str(path.relative_to(base)), number)
                         for m in TEMPLATE_TAG.finditer(text)]
    return uses


def upward_template_uses(uses: list[TemplateUse], layers: dict[str, tuple[int, bool]]) -> list[TemplateUse]:
    """Uses of a template named after a higher app (``reception/…`` from parts), or an independent sibling's.
    Templates not under an app's name (base.html, partials/…) belong to the project and are open to all."""
    bad = []
    for use in uses:
        owner = use.used.split("/")[0]
        if owner == use.app or owner not in layers:
            continue
        (rank_from, independent), (rank_to, _) = layers[use.app], layers[owner]
        if rank_to > rank_from or (rank_to == rank_from and independent):
            bad.append(use)
    return bad


def test_no_template_uses_a_higher_apps_template():
    base, packages, layers = _project()
    bad = upward_template_uses(template_uses(base, packages), layers)
    assert not bad, "templates that include or extend a higher app's template (move it to core):\n" + "\n".join(
        map(str, bad))


def test_the_template_scan_finds_an_include_of_a_higher_app(tmp_path):
    base = _tree(tmp_path, {
        "low/templates/low/list.html": '{% extends "base.html" %}\n{% include "high/_pager.html" with page=p %}\n',
        "low/templates/low/own.html": "{% include 'low/_row.html' %}{% include name %}",
        "high/templates/high/page.html": '{% extends "low/list.html" %}',
    })
    uses = template_uses(base, ["low", "high"])
    assert [str(u) for u in uses] == [
        "low/templates/low/list.html:1 uses base.html",
        "low/templates/low/list.html:2 uses high/_pager.html",
        "low/templates/low/own.html:1 uses low/_row.html",
        "high/templates/high/page.html:1 uses low/list.html",
    ]
    layers = {"high": (1, False), "low": (0, False)}
    assert [str(u) for u in upward_template_uses(uses, layers)] == ["low/templates/low/list.html:2 uses high/_pager.html"]


def test_every_project_package_has_a_layer():
    _base, packages, layers = _project()
    assert not [p for p in packages if p not in layers], "add the app to the layers contract in .importlinter"


def test_no_import_goes_up_a_layer():
    base, packages, layers = _project()
    bad = upward_imports(scan(base, packages), layers)
    assert not bad, "imports from a lower layer to a higher one:\n" + "\n".join(map(str, bad))


def test_no_cycle_between_apps_or_files():
    base, packages, _layers = _project()
    report = cycle_report(scan(base, packages))
    assert not report, "\n".join(report)


# --- the scan itself can find what it looks for ---------------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_scan_sees_imports_inside_functions_and_relative_ones(tmp_path):
    base = _tree(tmp_path, {
        "low/__init__.py": "",
        "low/a.py": "def f():\n    from high.views import g\n",
        "low/b.py": "from . import a\nfrom .a import f\n",
        "low/tests/test_x.py": "import high\n",
        "high/__init__.py": "",
        "high/views.py": "import low.b\n",
    })
    imports = scan(base, ["low", "high"])
    assert [str(i) for i in imports] == [
        "high.views -> low.b (high/views.py:1)",
        "low.a -> high.views (low/a.py:2)",
        "low.b -> low.a (low/b.py:1)",
        "low.b -> low.a (low/b.py:2)",
    ]
    layers = {"high": (1, False), "low": (0, False)}
    assert [str(i) for i in upward_imports(imports, layers)] == ["low.a -> high.views (low/a.py:2)"]
    report = cycle_report(imports)
    assert report[0].startswith("cycle between apps high <-> low")
    assert report[1].startswith("cycle between files high.views <-> low.a <-> low.b")


def test_independent_siblings_may_not_import_each_other(tmp_path):
    base = _tree(tmp_path, {"one/__init__.py": "import two\n", "two/__init__.py": ""})
    imports = scan(base, ["one", "two"])
    assert upward_imports(imports, {"one": (1, True), "two": (1, True)}) == imports
    assert upward_imports(imports, {"one": (1, False), "two": (1, False)}) == []


def test_the_layers_come_from_the_contract(tmp_path):
    config = tmp_path / ".importlinter"
    config.write_text("[importlinter:contract:layers]\nlayers =\n    top\n    (maybe)\n    a | b\n    base\n")
    assert contract_layers(config) == {"top": (3, False), "maybe": (2, False), "a": (1, True), "b": (1, True),
                                       "base": (0, False)}
