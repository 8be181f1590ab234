"""Scoping by construction (DESIGN §4, SECURITY AC-1): during a request a query of a workstation-owned
model that did not go through `stations.scoping` raises; opt-outs are few and named."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from stations.models import Funding, OrgUnit, SystemDocument, Workstation, WorkSystem
from stations.scope_guard import UNSCOPED_REASONS, ScopedManager, ScopeError, guarding, unscoped
from stations.scoping import for_stations, visible_to
from stations.tests.factories import WorkstationFactory

ROOT = Path(settings.BASE_DIR)
APPS = ("stations", "volunteers", "mentoring", "activities", "inspections")


def _funding(world):
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=Decimal("100"))
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=Decimal("200"))
    Funding.objects.create(workstation=world.z.station, year=2025, amount_yuan=Decimal("300"))


@pytest.mark.urls("stations.tests.scope_guard_urls")
def test_a_view_that_forgets_visible_to_fails_during_a_request(world, client_as):
    _funding(world)
    client = client_as(world.user("staff"))
    with pytest.raises(ScopeError, match=r"stations\.Funding was queried during a request without the user's scope"):
        client.get("/forgets-scope/")


@pytest.mark.urls("stations.tests.scope_guard_urls")
def test_the_same_view_through_visible_to_answers_with_the_users_rows_only(world, client_as):
    _funding(world)
    assert client_as(world.user("staff")).get("/keeps-scope/").content.decode() == "经费 1 条"
    assert client_as(world.user("prov")).get("/keeps-scope/").content.decode() == "经费 2 条"


def test_a_selector_that_forgets_the_scope_fails_inside_a_request(world):
    _funding(world)
    with guarding():
        for evaluate in (
            lambda: list(Funding.objects.all()),
            lambda: Funding.objects.count(),
            lambda: Funding.objects.exists(),
            lambda: Funding.objects.filter(year=2025).first(),
            lambda: Funding.objects.get(workstation=world.a.station),
            lambda: Funding.objects.values_list("amount_yuan", flat=True)[0],
            lambda: Funding.objects.filter(year=2025).update(year=2024),
            lambda: Funding.objects.filter(year=2025).delete(),
            lambda: list(Workstation.objects.filter(status="active")),
        ):
            with pytest.raises(ScopeError):
                evaluate()
    assert Funding.objects.filter(year=2025).count() == 3  # nothing was changed


def test_scoped_related_and_named_reads_work_inside_a_request(world):
    _funding(world)
    user = world.user("staff")
    with guarding():
        funding = visible_to(Funding.objects.all(), user).get()
        assert funding.workstation == world.a.station  # foreign key: base manager
        station = funding.workstation
        assert [f.amount_yuan for f in station.fundings.all()] == [Decimal("100")]  # reverse relation
        stations = list(visible_to(Workstation.objects.all(), user).prefetch_related("fundings"))
        assert [len(s.fundings.all()) for s in stations] == [1]
        custom = Prefetch("fundings", queryset=Funding.objects.filter(year=2025), to_attr="this_year")
        assert [len(s.this_year) for s in visible_to(Workstation.objects.all(), user).prefetch_related(custom)] == [1]
        assert for_stations(Funding.objects.all(), [world.b.station.pk]).get().amount_yuan == Decimal("200")
        assert Funding.objects.unscoped("aggregate_figure").count() == 3
        with unscoped("aggregate_figure"):
            assert Funding.objects.count() == 3
        with pytest.raises(ScopeError):
            Funding.objects.count()  # the block ended


def test_uniqueness_checks_still_tell_a_duplicate_code_inside_a_request(world):
    with guarding():
        duplicate = Workstation(code=world.z.station.code, name="新站", police_station="新所", county=world.a.county)
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()
        assert "code" in error.value.message_dict
        document = SystemDocument(workstation=world.z.station, system=WorkSystem.TRAINING)
        SystemDocument.objects.unscoped("scope_check").filter(workstation=world.z.station).delete()
        SystemDocument.objects.create(workstation=world.z.station, system=WorkSystem.TRAINING)
        with pytest.raises(ValidationError):
            document.validate_constraints()


def test_outside_requests_nothing_is_checked(world):
    _funding(world)
    assert Funding.objects.count() == 3
    assert Workstation.objects.filter(pk=WorkstationFactory().pk).exists()


def test_an_unknown_reason_is_refused():
    with pytest.raises(ValueError, match="unknown unscoped reason"):
        Funding.objects.unscoped("because")
    with pytest.raises(ValueError, match="unknown unscoped reason"), unscoped("because"):
        pass


def _source_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield path


def test_every_unscoped_read_in_the_code_gives_a_listed_reason():
    calls = []
    for path in _source_files():
        if path.relative_to(ROOT).as_posix() == "stations/scope_guard.py":
            continue  # where `unscoped` is defined and explained
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"unscoped\(", text):
            line = text[: match.start()].count("\n") + 1
            literal = re.match(r"unscoped\(\s*\"([a-z_]+)\"\s*\)", text[match.start() :])
            calls.append((f"{path.relative_to(ROOT)}:{line}", literal.group(1) if literal else None))
    assert len(calls) >= 10
    unnamed = [where for where, reason in calls if reason is None]
    unknown = [(where, reason) for where, reason in calls if reason is not None and reason not in UNSCOPED_REASONS]
    assert unnamed == [], "unscoped() must name its reason as a string literal"
    assert unknown == []
    assert {reason for _where, reason in calls} <= set(UNSCOPED_REASONS)


def test_every_workstation_owned_model_is_guarded():
    owned = [m for m in apps.get_models() if hasattr(m, "scope_field") and m is not OrgUnit]
    assert len(owned) >= 30
    unguarded = [m._meta.label for m in owned if not isinstance(m._default_manager, ScopedManager)]
    assert unguarded == []


def test_roles_are_compared_only_in_roles_py():
    role_check = re.compile(
        r"\.role\s*(==|!=|in\b|not in\b)|\brole\s+(==|!=)|\brole=Role\.|\bSTATION_ROLES\b|\bORG_ROLE_KIND\b"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _source_files()
        if path.relative_to(ROOT).as_posix() != "stations/roles.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if role_check.search(line)
    ]
    assert offenders == []
