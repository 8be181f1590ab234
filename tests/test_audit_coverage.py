"""AUD-2: every audited action of every app, performed as a user would, leaves exactly one correct entry;
and every action string the code passes to `audit(...)` has a case in the registry."""

import ast
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from stations.models import AuditEntry

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("stations", "volunteers", "mentoring", "activities", "inspections")


def collect_cases() -> dict:
    cases = {}
    for config in apps.get_app_configs():
        if not (Path(config.path) / "tests" / "audit_actions.py").exists():
            continue  # an app without a registry; a registry that fails to import fails here
        module = import_module(f"{config.name}.tests.audit_actions")
        overlap = cases.keys() & module.CASES.keys()
        assert not overlap, f"actions listed twice: {overlap}"
        cases.update(module.CASES)
    return cases


CASES = collect_cases()

# Audited actions without a case here, each with the reason and where it is covered instead. The
# completeness test fails when one of them gains a case or disappears, so the list stays true.
NOT_COVERED = {
    "system.backup": "needs a transactional database (pg_dump/file copy): tests/test_backup.py",
    "system.restore": "replaces the whole database: tests/test_backup.py asserts its entry",
    "volunteer.transfer": "no role can transfer through the app today (a station user's scope holds no "
    "other station); reported, see docs/decisions.md",
}


def _strings(node, module_tree) -> list[str]:
    """The action strings an `action=` argument can take: a literal, both arms of a conditional, an
    f-string as a pattern (`youth.stage_*`), or a parameter: the literals passed for it in the module."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, module_tree) + _strings(node.orelse, module_tree)
    if isinstance(node, ast.JoinedStr):
        parts = [re.escape(p.value) if isinstance(p, ast.Constant) else ".+" for p in node.values]
        return ["re:" + "".join(parts)]
    if isinstance(node, ast.Name):
        found = []
        for call in ast.walk(module_tree):
            if isinstance(call, ast.Call):
                for keyword in call.keywords:
                    if keyword.arg == node.id and isinstance(keyword.value, ast.Constant):
                        found.append(keyword.value.value)
        assert found, f"no literal found for the audit action parameter {node.id}"
        return found
    raise AssertionError(f"an audit action the test cannot read: {ast.unparse(node)}")


def audited_actions() -> dict[str, str]:
    """Every action passed to `audit(...)` in the project's code → where."""
    actions = {}
    for label in PROJECT_APPS:
        for path in sorted(Path(settings.BASE_DIR, label).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name != "audit":
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        for action in _strings(keyword.value, tree):
                            actions.setdefault(action, f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    return actions


def test_every_audited_action_has_a_case():
    actions = audited_actions()
    assert len(actions) > 50, "the search for audit(...) calls found too little"
    missing = []
    for action, where in sorted(actions.items()):
        if action.startswith("re:"):
            if not any(re.fullmatch(action[3:], case) for case in CASES):
                missing.append((action, where))
        elif action not in CASES:
            missing.append((action, where))
    missing = [(action, where) for action, where in missing if action not in NOT_COVERED]
    assert missing == [], "audited actions without a case in an <app>/tests/audit_actions.py"
    assert sorted(NOT_COVERED.keys() - actions.keys()) == [], "NOT_COVERED names actions the code no longer writes"
    assert sorted(NOT_COVERED.keys() & CASES.keys()) == [], "NOT_COVERED names actions that have a case now"
    literal = {a for a in actions if not a.startswith("re:")}
    patterns = [a[3:] for a in actions if a.startswith("re:")]
    stale = sorted(c for c in CASES if c not in literal and not any(re.fullmatch(p, c) for p in patterns))
    assert stale == [], "cases for actions the code no longer writes"


@pytest.mark.parametrize("action", sorted(CASES))
def test_audited_action_leaves_one_correct_entry(world, client, action):
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    expect = CASES[action](world, client)
    entries = list(AuditEntry.objects.filter(pk__gt=last, action=action))
    assert len(entries) == 1, f"{action}: {len(entries)} entries"
    entry = entries[0]
    if expect.actor is not None:
        assert (entry.actor_id, entry.actor_username) == (expect.actor.pk, expect.actor.get_username())
    else:
        assert (entry.actor_id, entry.actor_username) == (None, expect.username)
    assert entry.object_id == ("" if expect.obj is None else str(expect.obj.pk)), action
    if expect.obj is not None:
        assert entry.object_type == expect.obj._meta.label
    assert entry.result == expect.result
