"""Presentation does no data work (DESIGN §3): views, panels and template tags ask selectors and
services; they never build a query themselves.

The source of every presentation module of the project's apps is parsed (ast) and each of these is a
finding:

1. `.objects` — a model manager reached from presentation code (`Volunteer.objects…`);
2. a call of a query-building method: `filter`, `exclude`, `annotate`, `aggregate`, `alias`,
   `select_related`, `prefetch_related`, `values_list`, `order_by`, `distinct`, `only`, `defer`,
   `extra`, `raw`, `select_for_update`, `in_bulk`, `bulk_create`, `bulk_update`, `get_or_create`,
   `update_or_create`, `union`, `intersection`, `difference`, `all()`; and, where the name is shared
   with dicts and request data, only in the queryset form: `values(…)` with arguments,
   `get(…)`, `create(…)`, `update(…)` and `delete(…)` with keyword arguments only
   (`request.POST.get("x")` and `OtherView.get(self, request, pk=pk)` are fine, `qs.get(pk=…)` is not);
3. `get_object_or_404` / `get_list_or_404` whose first argument is not a call: a model class or a
   manager instead of a selector's scoped queryset (`get_object_or_404(selectors.x(user=…), pk=…)` is fine);
4. a call of a name imported from `django.db.models` (`Q`, `F`, `Count`, `Exists`, …) and any import
   of `connection`, `connections` or `transaction` from `django.db`: filters, aggregates, raw SQL and
   transactions belong in selectors and services.

Allowed on purpose: counting, testing, taking the first row of or iterating over what a selector
returned (`.count()`, `.exists()`, `.first()`, `for row in page`), because choosing which rows and
how is already done; and attribute access on loaded objects.

A presentation module is, under each project app (migrations, tests and management commands left
out): `views.py`, `views_*.py` or a module in a `views/` package; `panels.py`; a module in
`templatetags/`; a module that defines a class based on a `…View` class; and the module of every
callable registered in `AppConfig.home_panels` / `station_panels`.
Every module a URL routes to must be among them (checked), so a view moved elsewhere stays covered.

`KNOWN` lists reviewed exceptions by (app, function) with the reason; a stale entry fails too,
so the list only shrinks.
"""

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

PROJECT_APPS = ("stations", "volunteers", "mentoring", "activities", "inspections")
ROOT = Path(settings.BASE_DIR)

QUERY_METHODS = {
    "filter",
    "exclude",
    "annotate",
    "aggregate",
    "alias",
    "select_related",
    "prefetch_related",
    "values_list",
    "order_by",
    "distinct",
    "only",
    "defer",
    "extra",
    "raw",
    "select_for_update",
    "in_bulk",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "union",
    "intersection",
    "difference",
}
# Names shared with dicts / QueryDicts: a query only in the queryset form.
NEEDS_ARGS = {"values"}  # dict.values() takes none
# request.POST.get("x"), session.update(…), SomeView.get(self, request, pk=…): a query takes keywords only
NEEDS_KEYWORDS = {"get", "create", "update", "delete"}
NO_ARGS = {"all"}  # qs.all(); the builtin all() is a name, not an attribute
LOOKUP_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
FORBIDDEN_DB_IMPORTS = {"connection", "connections", "transaction"}

# (app, qualified name of the function) → why it is accepted for now.
KNOWN: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    where: str
    rule: str

    def __str__(self):
        return f"{self.path}:{self.line} in {self.where}: {self.rule}"


class Checker(ast.NodeVisitor):
    def __init__(self, path: str):
        self.path = path
        self.stack: list[str] = []
        self.findings: list[Finding] = []
        self.db_models_names: set[str] = set()

    def add(self, node, rule):
        self.findings.append(Finding(self.path, node.lineno, ".".join(self.stack) or "<module>", rule))

    def _scoped(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if module == "django.db.models" or module.startswith("django.db.models."):
            self.db_models_names |= {alias.asname or alias.name for alias in node.names}
        if module == "django.db":
            for alias in node.names:
                if alias.name in FORBIDDEN_DB_IMPORTS:
                    self.add(node, f"imports django.db.{alias.name}")
        self.generic_visit(node)

    def visit_Attribute(self, node):
        if node.attr == "objects":
            self.add(node, "uses a model manager (.objects)")
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute):
            name, has_args, has_keywords = func.attr, bool(node.args), bool(node.keywords)
            if (
                name in QUERY_METHODS
                or (name in NEEDS_ARGS and (has_args or has_keywords))
                or (name in NEEDS_KEYWORDS and has_keywords and not has_args)
                or (name in NO_ARGS and not has_args and not has_keywords)
            ):
                self.add(node, f"builds a query (.{name}())")
        if isinstance(func, ast.Name):
            if func.id in LOOKUP_SHORTCUTS and node.args and not isinstance(node.args[0], ast.Call):
                self.add(node, f"{func.id}() on a model or manager, not a selector's queryset")
            if func.id in self.db_models_names:
                self.add(node, f"builds a query expression ({func.id}())")
        self.generic_visit(node)


def check_source(source: str, path: str = "<test>") -> list[Finding]:
    checker = Checker(path)
    checker.visit(ast.parse(source))
    return checker.findings


def _defines_a_view(tree) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name.endswith("View"):
                    return True
    return False


def _panel_modules() -> set[Path]:
    found = set()
    for label in PROJECT_APPS:
        config = apps.get_app_config(label)
        for attr in ("home_panels", "station_panels"):
            for panel in getattr(config, attr, []):
                if isinstance(panel, str):
                    module, _, name = panel.rpartition(".")
                    panel = getattr(importlib.import_module(module), name)
                found.add(Path(importlib.import_module(panel.__module__).__file__).resolve())
    return found


def presentation_modules() -> list[Path]:
    panels = _panel_modules()
    modules = []
    for label in PROJECT_APPS:
        base = Path(apps.get_app_config(label).path)
        for path in sorted(base.rglob("*.py")):
            parts = path.relative_to(base).parts
            if {"migrations", "tests", "management"} & set(parts[:-1]):
                continue
            name = path.name
            if (
                name == "views.py"
                or name.startswith("views_")
                or "views" in parts[:-1]
                or name == "panels.py"
                or "templatetags" in parts[:-1]
                or path.resolve() in panels
                or _defines_a_view(ast.parse(path.read_text(encoding="utf-8")))
            ):
                modules.append(path)
    return modules


def _app_of(path: Path) -> str:
    return path.resolve().relative_to(ROOT).parts[0]


def all_findings() -> list[Finding]:
    findings = []
    for path in presentation_modules():
        rel = str(path.resolve().relative_to(ROOT))
        findings += check_source(path.read_text(encoding="utf-8"), rel)
    return findings


def _key(finding: Finding) -> tuple[str, str]:
    return finding.path.split("/")[0], finding.where


def _url_view_modules() -> set[Path]:
    """The module of every view the project's URLs route to (views of the project apps only)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found, stack = set(), [get_resolver()]
    while stack:
        for entry in stack.pop().url_patterns:
            if isinstance(entry, URLResolver):
                stack.append(entry)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "view_class", entry.callback)
                path = Path(importlib.import_module(view.__module__).__file__).resolve()
                if path.is_relative_to(ROOT) and path.relative_to(ROOT).parts[0] in PROJECT_APPS:
                    found.add(path)
    return found


def test_every_view_and_panel_module_is_checked():
    checked = {p.resolve() for p in presentation_modules()}
    routed = _url_view_modules()
    assert {p.relative_to(ROOT).parts[0] for p in routed} == set(PROJECT_APPS)
    assert not routed - checked, routed - checked
    assert _panel_modules() <= checked
    kinds = {p.name for p in checked} | {p.parent.name for p in checked}
    assert {"views.py", "panels.py", "templatetags"} <= kinds


def test_presentation_does_not_query_the_database():
    findings = all_findings()
    unexpected = [f for f in findings if _key(f) not in KNOWN]
    assert not unexpected, "move these reads into the app's selectors.py:\n" + "\n".join(map(str, unexpected))
    stale = sorted(set(KNOWN) - {_key(f) for f in findings})
    assert not stale, f"fixed: remove from KNOWN: {stale}"


@pytest.mark.parametrize(
    "source",
    [
        "Volunteer.objects.count()",
        "qs.filter(workstation=w)",
        "self.object.visits.select_related('youth')",
        "qs.annotate(n=1)",
        "qs.aggregate(total=1)",
        "qs.values('pk')",
        "qs.values_list('pk', flat=True)",
        "qs.get(pk=1)",
        "station.volunteers.all()",
        "qs.order_by('-pk')",
        "qs.update(status='x')",
        "get_object_or_404(Volunteer, pk=1)",
        "get_object_or_404(Volunteer.objects, pk=1)",
        "from django.db.models import Q\nQ(pk=1)",
        "from django.db import connection",
        "from django.db import transaction",
    ],
)
def test_the_checker_finds_data_work(source):
    assert check_source(source), source


@pytest.mark.parametrize(
    "source",
    [
        "request.POST.get('next')",
        "request.GET.get('q', '')",
        "data.values()",
        "selectors.rectification_list(user=u).count()",
        "selectors.youth_list(user=u).exists()",
        "get_object_or_404(selectors.youth_list(user=u), pk=1)",
        "all(x for x in y)",
        "session.update({'a': 1})",
        "RoundList(request=request).get(request, open_form=form)",
        "form.cleaned_data.get('x')",
        "from django.db.models import QuerySet\ndef f(qs: QuerySet): return qs",
    ],
)
def test_the_checker_leaves_presentation_alone(source):
    assert not check_source(source), source
