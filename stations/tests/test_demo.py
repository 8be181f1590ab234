"""The demo province loads, is idempotent, has every role and only checksum-valid synthetic data."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from stations.models import OrgKind, OrgUnit, Role, StationStatus, User, Workstation

pytestmark = pytest.mark.django_db


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"stations", "volunteers", "mentoring", "activities", "inspections"}
        and model._meta.label not in {"stations.AuditEntry"}
    }


def test_seed_demo_is_idempotent_and_prints_every_login():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = model_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert model_counts() == first
    assert OrgUnit.objects.filter(kind=OrgKind.CITY).count() == 2
    assert OrgUnit.objects.filter(kind=OrgKind.COUNTY).count() == 4
    assert Workstation.objects.count() >= 12
    assert set(Workstation.objects.values_list("status", flat=True)) == set(StationStatus.values)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    printed = out.getvalue()
    assert "Guanai@2026demo" in printed
    for user in User.objects.all():
        assert user.username in printed
        assert user.check_password("Guanai@2026demo")
    # Django admin is a capability (stations/roles.py), never the staff or superuser flag.
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_seed_demo_if_empty_skips_a_loaded_database():
    call_command("seed_demo", stdout=io.StringIO())
    before = model_counts()
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue()
    assert model_counts() == before
