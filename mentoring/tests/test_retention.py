"""DATA-5: closed cases are anonymised after the retention period; counts stay, identities go."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mentoring.figures import youth_under_mentoring
from mentoring.models import FollowUp, Guardian, Visit, Youth
from stations.figures import Period
from stations.models import AuditEntry

from .factories import GuardianFactory, VisitFactory, YouthFactory, id_for, years_ago

pytestmark = pytest.mark.django_db


def closed_youth(station, *, closed_years_ago, name, seq):
    closed_on = timezone.localdate() - timedelta(days=365 * closed_years_ago + 30)
    youth = YouthFactory(
        workstation=station,
        name=name,
        stage="followup_done",
        outcome="completed",
        closed_on=closed_on,
        intake_on=closed_on - timedelta(days=200),
        id_number=id_for(years_ago(17), seq),
    )
    GuardianFactory(youth=youth, name=f"{name}母", phone="13900002222")
    VisitFactory(youth=youth, visited_on=closed_on - timedelta(days=30), summary=f"{name}谈心记录")
    FollowUp.objects.create(youth=youth, number=1, done_on=closed_on + timedelta(days=180), summary=f"{name}回访")
    return youth


def test_old_closed_cases_lose_their_identity_but_keep_their_counts(world):
    old = closed_youth(world.a.station, closed_years_ago=5, name="旧案甲乙", seq=13)
    recent = closed_youth(world.a.station, closed_years_ago=1, name="新案丙丁", seq=15)
    period = Period(old.intake_on.year)
    before = youth_under_mentoring(station_ids=[world.a.station.pk], period=period)

    call_command("anonymise_cases")

    old.refresh_from_db()
    assert old.anonymised_on == timezone.localdate()
    assert (old.name, old.id_number, old.id_hash) == ("某某", "", "")
    assert not Guardian.objects.filter(youth=old).exists()
    assert Visit.objects.filter(youth=old).count() == 1
    assert "旧案甲乙" not in Visit.objects.get(youth=old).summary
    assert youth_under_mentoring(station_ids=[world.a.station.pk], period=period) == before
    with connection.cursor() as cursor:  # nothing of the old identity is left anywhere in its rows
        cursor.execute("SELECT COUNT(*) FROM mentoring_youth WHERE name LIKE %s", ["%旧案%"])
        assert cursor.fetchone()[0] == 0
    recent.refresh_from_db()
    assert recent.name == "新案丙丁" and recent.anonymised_on is None
    assert AuditEntry.objects.filter(action="youth.anonymise", object_id=str(old.pk)).count() == 1
    assert "旧案" not in AuditEntry.objects.get(action="youth.anonymise").object_repr


def test_anonymising_is_idempotent_and_dry_run_changes_nothing(world):
    closed_youth(world.a.station, closed_years_ago=5, name="旧案戊己", seq=17)
    call_command("anonymise_cases", "--dry-run")
    assert Youth.all_objects.filter(name="旧案戊己").exists()
    call_command("anonymise_cases")
    call_command("anonymise_cases")
    assert AuditEntry.objects.filter(action="youth.anonymise").count() == 1
