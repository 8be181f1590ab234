"""Shared fixtures: a small two-province world with one account of every role."""

from dataclasses import dataclass, field

import pytest

from stations.models import OrgKind, Role


@dataclass
class Side:
    province: object
    city: object
    county: object
    station: object
    users: dict = field(default_factory=dict)


@dataclass
class World:
    a: Side  # the users' own side
    b: Side  # same province, another city, county and station
    z: Side  # another province: out of scope for every user of side a

    def user(self, role: str):
        return self.a.users[role]


ROLE_KEYS = {
    "staff": Role.STATION_STAFF,
    "head": Role.STATION_HEAD,
    "county": Role.COUNTY_OFFICER,
    "city": Role.CITY_OFFICER,
    "prov": Role.PROVINCE_OFFICER,
    "sys": Role.SYSTEM_ADMIN,
    "sec": Role.SECURITY_ADMIN,
    "audit": Role.AUDIT_ADMIN,
}


def make_side(province=None, tag="A"):
    from stations.tests.factories import OrgUnitFactory, WorkstationFactory

    province = province or OrgUnitFactory(kind=OrgKind.PROVINCE, name=f"{tag}省")
    city = OrgUnitFactory(kind=OrgKind.CITY, parent=province, name=f"{tag}市")
    county = OrgUnitFactory(kind=OrgKind.COUNTY, parent=city, name=f"{tag}县")
    station = WorkstationFactory(county=county, name=f"{tag}站派出所关爱工作站")
    return Side(province=province, city=city, county=county, station=station)


def make_users(side: Side):
    from stations.tests.factories import UserFactory

    scope = {
        "staff": {"workstation": side.station},
        "head": {"workstation": side.station},
        "county": {"org_unit": side.county},
        "city": {"org_unit": side.city},
        "prov": {"org_unit": side.province},
    }
    for key, role in ROLE_KEYS.items():
        side.users[key] = UserFactory(username=f"{key}_{side.station.pk}", role=role, **scope.get(key, {}))


@pytest.fixture
def world(db):
    a = make_side(tag="甲")
    b = make_side(province=a.province, tag="乙")
    z = make_side(tag="丙")
    make_users(a)
    return World(a=a, b=b, z=z)


@pytest.fixture
def client_as(client):
    """client_as(user) → the test client signed in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def test_figures():
    """register(key, per_station, **options) adds or replaces a named figure for one test only."""
    from stations.figures import FIGURES, figure

    saved = dict(FIGURES)

    def register(key, per_station, **options):
        options.setdefault("label", key)
        FIGURES.pop(key, None)
        figure(key, **options)(per_station)

    def remove(*prefixes):
        """Unregister figures whose key starts with any prefix (as if that app were absent)."""
        for key in [k for k in FIGURES if k.startswith(prefixes)]:
            del FIGURES[key]

    register.remove = remove
    yield register
    FIGURES.clear()
    FIGURES.update(saved)


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch):
    """force_login stands for a complete sign-in: users who need TOTP (AUTH-7) get a verified device.

    Tests of the second factor itself sign in through the login form, which this does not touch.
    """
    from django.test.client import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from stations.accounts.tests.mfa_helpers import verify_session

        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# Data migrations whose rows transactional tests must put back (a flush empties every table).
DATA_MIGRATIONS = [
    ("activities.migrations.0002_seed_activity_types", "seed"),
    ("inspections.migrations.0002_example_template", "forwards"),
]


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (browser tests, real-worker tests) run after a flush of every table,
    which also removes the reference rows that data migrations created. Re-run those migrations'
    idempotent seed functions first, so each such test sees the database a deployment has."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _fast_hashers(settings, request):
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_configure(config):
    config.addinivalue_line("markers", "argon2: keep the real Argon2 hasher")
