"""Every named URL × every role × every scope of the test world against the expected status (AC-5).

The world (see tests/access.py) has the users' own station a, a neighbour station s of the same
county, a neighbour county c of the same city, another city b and another province z, so a scope
one level too wide fails. Every view that accepts POST is also posted to with other scopes'
objects, and the database must not change. The world and every entry's targets are built once
per module (inside a transaction rolled back at the end); each test runs in a savepoint.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ROLE_KEYS, Side, make_side, make_users
from tests.access import Entry

pytestmark = pytest.mark.django_db

PUBLIC = {"login": 200, "set_language": 302}  # what an anonymous visitor gets
EXCLUDED_NAMESPACES = {"admin"}  # Django admin: tested apart in stations/tests/test_admin.py
PROJECT_APPS = ("stations", "volunteers", "mentoring", "activities", "inspections")

# Views that accept POST but have no object of a scope to post to. Each says why no scope probe applies.
POST_EXEMPT = {
    "login": "signs in; no object, no scope (lockout tested in stations/tests/test_auth.py)",
    "logout": "ends the caller's own session only",
    "set_language": "sets the caller's own language cookie only",
    "stations:toggle-large-type": "sets the caller's own display preference only",
    "notifications:open": "marks the caller's own notification read; another user's id is a 404 and changes "
    "nothing (stations/notifications/tests/test_notifications.py)",
    "notifications:read-all": "marks the caller's own notifications read only",
    "password_change": "changes the caller's own password only (stations/tests/test_auth.py)",
    "mfa:verify": "checks the caller's own second-factor code only (stations/tests/test_mfa.py)",
    "mfa:setup": "enrols the caller's own device only (stations/tests/test_mfa.py)",
    "mfa:devices": "installation-wide, security administrator only (stations/tests/test_mfa.py)",
    "stations:lockout-list": "installation-wide, security administrator only (stations/tests/test_auth.py)",
    "stations:user-create": "installation-wide accounts, system administrator only (test_duties.py)",
    # Create forms: the new record's workstation is the user's own or a scoped choice; a foreign
    # id posted into a choice is a field error (AC-6), tested per app:
    "stations:workstation-create": "the county is a scoped choice (stations/tests: workstation create)",
    "volunteers:volunteer-create": "AC-6: volunteers/tests/test_views.py (foreign station posted into create)",
    "volunteers:training-create": "AC-6: volunteers/tests/test_views.py (training with a foreign attendee)",
    "volunteers:import": "rows matching another station are row errors (volunteers/tests/test_import.py)",
    "volunteers:import-confirm": "confirms the caller's own pending import (volunteers/tests/test_import.py)",
    "volunteers:training-import": "attendees are the caller's own station's volunteers only "
    "(volunteers/tests/test_training_import.py)",
    "volunteers:training-import-confirm": "confirms the caller's own pending import "
    "(volunteers/tests/test_training_import.py)",
    "mentoring:youth-create": "the youth's workstation is the user's own station (mentoring/tests/test_views.py)",
    "mentoring:youth-import": "files are opened in the user's own station only (mentoring/tests/test_import.py)",
    "mentoring:youth-import-confirm": "confirms the caller's own pending import (mentoring/tests/test_import.py)",
    "mentoring:encounter-create": "the workstation is the user's own station (mentoring/tests/test_views.py)",
    "mentoring:call-create": "the workstation is the user's own station (mentoring/tests/test_views.py)",
    "mentoring:youth-export": "a foreign station or case number is a field error and no file "
    "(mentoring/tests/test_named_export.py::test_county_must_choose_one_of_its_stations, "
    "::test_case_numbers_outside_the_scope_are_refused_without_saying_why)",
    "activities:activity-create": "AC-6: activities/tests/test_views.py (foreign volunteer id)",
    "activities:import": "rows name the caller's own station's volunteers only (activities/tests/test_import.py)",
    "activities:import-confirm": "confirms the caller's own pending import (activities/tests/test_import.py)",
    "inspections:round-open": "opens a round of the officer's own county only",
    "inspections:award-open": "opens a cycle of the officer's own province only",
}


def confirmed(data) -> dict:
    """Every probe's POST is confirmed (`confirm=1`, stations/confirm.py): the matrix is about who may
    take a step; what an irreversible step asks first is tested with each step."""
    return {"confirm": "1", **(data or {})}


def collect_entries() -> dict[str, Entry]:
    entries = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError:
            continue
        overlap = entries.keys() & module.ENTRIES.keys()
        assert not overlap, f"URL names listed twice: {overlap}"
        entries.update(module.ENTRIES)
    return entries


def url_patterns(resolver=None, namespace="") -> dict:
    """Every named URL of the project (admin aside) → its view callback."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            found.update(url_patterns(pattern, f"{namespace}{ns}:" if ns else namespace))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}{pattern.name}"] = pattern.callback
    return found


def named_urls() -> set[str]:
    return set(url_patterns())


def accepts_post(callback) -> bool:
    """A class-based view accepts POST when it has a post handler; a function view is assumed to."""
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return True
    return "post" in view_class.http_method_names and hasattr(view_class, "post")


ENTRIES = collect_entries()
ROLES = [*ROLE_KEYS, "anonymous"]
CASES = [(name, role) for name in sorted(ENTRIES) for role in ROLES]
OTHER_SIDES = ("s", "c", "b", "z")
ROLE_DEPTH = {"staff": 3, "head": 3, "county": 2, "city": 1, "prov": 0}
LEVEL_DEPTH = {"province": 0, "city": 1, "county": 2, "station": 3}


# --- the world -----------------------------------------------------------------------------------

# A distinctive surname per side: the markers below must appear only where the side is in scope.
SURNAMES = {"a": "甲", "s": "丁", "c": "戊", "b": "乙", "z": "丙"}


@dataclass
class Matrix:
    sides: dict  # key → Side
    targets: dict  # (url name, side key) → target object
    markers: dict  # side key → {kind: text that a page naming the side's object shows}

    def user(self, role):
        return self.sides["a"].users[role]

    def chain(self, key):
        side = self.sides[key]
        return (side.province.pk, side.city.pk, side.county.pk, side.station.pk)

    def visible(self, entry: Entry, role: str, key: str) -> bool:
        """Is side `key`'s target of `entry` inside the unit of side a's `role`?"""
        if key == "a" or role in entry.out_of_scope_visible:
            return True
        if entry.level == "own" or role not in ROLE_DEPTH:
            return False
        return self.side_in_scope(role, key, LEVEL_DEPTH[entry.level])

    def side_in_scope(self, role: str, key: str, level_depth: int = 3) -> bool:
        depth = min(ROLE_DEPTH[role], level_depth) + 1
        return self.chain("a")[:depth] == self.chain(key)[:depth]


def _neighbour_station(a: Side, tag: str) -> Side:
    from stations.tests.factories import WorkstationFactory

    station = WorkstationFactory(county=a.county, name=f"{tag}站派出所关爱工作站")
    return Side(province=a.province, city=a.city, county=a.county, station=station)


def _neighbour_county(a: Side, tag: str) -> Side:
    from stations.models import OrgKind
    from stations.tests.factories import OrgUnitFactory, WorkstationFactory

    county = OrgUnitFactory(kind=OrgKind.COUNTY, parent=a.city, name=f"{tag}县")
    station = WorkstationFactory(county=county, name=f"{tag}站派出所关爱工作站")
    return Side(province=a.province, city=a.city, county=county, station=station)


def _named_records(side: Side, surname: str) -> dict:
    """Records with names unique to the side, as list pages show them."""
    from activities.tests.factories import activity
    from mentoring.tests.factories import YouthFactory
    from volunteers.tests.factories import TrainingFactory, VolunteerFactory

    VolunteerFactory(workstation=side.station, name=f"{surname}志远")
    YouthFactory(workstation=side.station, name=f"{surname}晓明")
    # dated yesterday: first on the lists, which put the latest first
    activity(side.station, "legal_lecture", held_on=date.today() - timedelta(days=1), title=f"{surname}站普法讲座")
    TrainingFactory(workstation=side.station, title=f"{surname}站骨干培训")
    return {
        "station": side.station.name,
        "volunteer": f"{surname}志远",
        "youth": f"{surname}晓明",
        "youth_masked": f"{surname}某",
        "activity": f"{surname}站普法讲座",
        "training": f"{surname}站骨干培训",
    }


def build_matrix() -> Matrix:
    a = make_side(tag="甲")
    sides = {
        "a": a,
        "s": _neighbour_station(a, "丁"),
        "c": _neighbour_county(a, "戊"),
        "b": make_side(province=a.province, tag="乙"),
        "z": make_side(tag="丙"),
    }
    make_users(a)
    markers = {key: _named_records(side, SURNAMES[key]) for key, side in sides.items()}
    for key in ("a", "c", "b", "z"):  # side s shares side a's county
        markers[key]["county"] = sides[key].county.name
    targets = {}
    for name, entry in sorted(ENTRIES.items()):
        if entry.target is not None:
            for key, side in sides.items():
                targets[name, key] = entry.target(side)
    return Matrix(sides=sides, targets=targets, markers=markers)


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_root(settings, matrix_media):
    """Files of the module's targets stay where the module saved them (overrides conftest's)."""
    settings.MEDIA_ROOT = matrix_media


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, matrix_media):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=matrix_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_matrix()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def snapshot() -> dict:
    """Every row of every project table (audit log included), for a before/after comparison."""
    rows = {}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            fields = [f.attname for f in model._meta.concrete_fields]
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


# --- tests ---------------------------------------------------------------------------------------


def test_every_named_url_has_an_entry():
    urls = named_urls()
    assert sorted(urls - ENTRIES.keys()) == [], "URLs without an access-matrix entry"
    assert sorted(ENTRIES.keys() - urls) == [], "entries for URLs that no longer exist"


def test_every_view_that_accepts_post_is_posted_to_or_exempt():
    posting = {name for name, callback in url_patterns().items() if accepts_post(callback)}
    probed = {name for name, entry in ENTRIES.items() if entry.post_data() is not None and entry.target}
    unprobed = sorted(posting - probed - POST_EXEMPT.keys())
    assert unprobed == [], "views that accept POST without a POST probe in the matrix or an exemption"
    assert sorted(POST_EXEMPT.keys() - posting) == [], "exemptions for views that take no POST"
    assert sorted(POST_EXEMPT.keys() & probed) == [], "exempt views that are probed anyway"
    no_post = sorted(name for name in probed if not accepts_post(url_patterns()[name]))
    assert no_post == [], "POST probes for views that take no POST"


def _url(entry: Entry, name: str, obj) -> str:
    if obj is None:
        return reverse(name)
    return reverse(name, kwargs=entry.kwargs(obj)) + entry.query(obj)


def _request(client, entry: Entry, name: str, obj):
    if entry.method == "post":
        return client.post(_url(entry, name, obj), confirmed(entry.data(obj)))
    return client.get(_url(entry, name, obj))


@pytest.mark.parametrize(("name", "role"), CASES)
def test_access(matrix, client, name, role):
    entry = ENTRIES[name]
    inside = matrix.targets[name, "a"] if entry.target else None
    if role == "anonymous":
        response = _request(client, entry, name, inside)
        if name in PUBLIC:
            assert response.status_code == PUBLIC[name]
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        return
    client.force_login(matrix.user(role))
    allowed = role in entry.allowed
    posting = entry.post_data() is not None and entry.target is not None
    before = snapshot() if posting and entry.method == "post" else None
    response = _request(client, entry, name, inside)
    assert response.status_code == (entry.ok if allowed else 403), f"{name} as {role} in scope"
    if before is not None:
        changed = changed_tables(before, snapshot())
        if not allowed:
            assert changed == [], f"{name} as {role}: a refused POST changed {changed}"
        elif entry.post_changes:
            assert changed, f"{name} as {role}: the probe's data changes nothing even in scope"
    if entry.target is None:
        return
    probes = []  # (side, expected status): POSTs on objects the role must not change
    for key in OTHER_SIDES:
        obj = matrix.targets[name, key]
        visible = allowed and matrix.visible(entry, role, key)
        expected = 403 if not allowed else entry.ok if visible else 404
        if entry.method == "get" and not entry.object_in_post:
            response = _request(client, entry, name, obj)
            assert response.status_code == expected, f"{name} as {role} on side {key}"
        if posting and not (visible and entry.may_post(role)):
            probes.append((key, 403 if not entry.may_post(role) else expected))
    if entry.post is not None and not entry.may_post(role):
        probes.append(("a", 403))
    if probes:
        before = snapshot()
        for key, expected in probes:
            obj = matrix.targets[name, key]
            response = client.post(_url(entry, name, obj), confirmed(entry.post_data()(obj)))
            assert response.status_code == expected, f"POST {name} as {role} on side {key}"
        changed = changed_tables(before, snapshot())
        assert changed == [], f"POST {name} as {role} on sides {[k for k, _ in probes]} changed {changed}"
    if entry.post is not None and entry.may_post(role):
        before = snapshot()
        response = client.post(_url(entry, name, inside), confirmed(entry.post(inside)))
        assert response.status_code == entry.post_ok, (
            f"{name} as {role}: the probe's data is refused in scope: {_form_errors(response)}"
        )
        if entry.post_changes:
            assert changed_tables(before, snapshot()), f"{name} as {role}: the probe's data changes nothing"


def _form_errors(response) -> str:
    """The form errors of a re-rendered page, to say why a probe's data was refused."""
    errors = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if getattr(value, "errors", None) and hasattr(value, "is_bound"):
                errors.append(value.errors.as_json())
    return "; ".join(dict.fromkeys(errors))


LIST_PAGES = sorted(
    name
    for name, entry in ENTRIES.items()
    if entry.target is None and entry.method == "get" and entry.ok == 200 and name not in PUBLIC
)
LIST_CASES = [(name, role) for name in LIST_PAGES for role in ROLE_DEPTH if role in ENTRIES[name].allowed]


# What a list page shows of each record in scope: a marker kind of tests' world (see _named_records).
# Every side inside the role's unit must show its marker; pages not named here are checked for
# leaks only (create forms, calendars, pages of the caller's own account).
LIST_SHOWS = {
    "volunteers:volunteer-list": "volunteer",
    "volunteers:training-list": "training",
    "activities:activity-list": "activity",
    "activities:activity-stats": "station",
    "mentoring:youth-list": {"staff": "youth", "head": "youth", "county": "station"},
    "mentoring:call-list": "station",
    # no case of the tests' world is overdue: the list has no rows (its station names came from the
    # station drop-down, now a search box), so it is checked for leaks only
    "mentoring:overdue-list": {"staff": "station", "head": "station"},
    "mentoring:followup-list": "station",
    "mentoring:unseal-list": "station",
    "inspections:checklist-list": "station",
    "inspections:rectification-list": "station",
    "stations:workstation-list": "station",
    # above the county the home page ranks units (issue 16 §2): a city officer reads its counties
    "stations:home": {"staff": "station", "head": "station", "county": "station", "city": "county"},
}
# Another scope's text that a page may show, with the reason.
LIST_ALLOWED = {
    ("activities:activity-create", "s", "station"): "joint activities: partner stations of the organiser's county",
}


def page_text(response) -> str:
    """The text a user reads: the HTML, or every cell of a downloaded workbook (the import template's
    code table lists the stations one may import into)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith(("text/", "application/json")):
        return body.decode()
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(body), read_only=True)
    return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)


@pytest.mark.parametrize(("name", "role"), LIST_CASES)
def test_list_pages_show_own_scope_and_nothing_of_another(matrix, client, name, role):
    client.force_login(matrix.user(role))
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = page_text(response)
    shows = LIST_SHOWS.get(name)
    kind = shows.get(role) if isinstance(shows, dict) else shows
    for key, markers in matrix.markers.items():
        if matrix.side_in_scope(role, key):
            if kind and kind in markers:  # side s has no county marker of its own: it is side a's county
                assert markers[kind] in page, f"{name} as {role}: side {key}'s {kind} {markers[kind]} is missing"
            continue
        leaked = [text for marker, text in markers.items() if text in page and (name, key, marker) not in LIST_ALLOWED]
        assert leaked == [], f"{name} as {role} shows side {key}'s {leaked}"
