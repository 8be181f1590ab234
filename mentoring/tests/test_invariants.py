"""Impossible mentoring data is refused: dates out of order and visit hours out of bounds, next to the
field on the page and by the database."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import MentorTeam, Milestone, Visit, Youth
from mentoring.tests.factories import VolunteerFactory, YouthFactory
from mentoring.tests.test_views import intake_data

pytestmark = pytest.mark.django_db


def test_intake_page_refuses_an_assessment_before_the_intake(world, client):
    today = timezone.localdate()
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("mentoring:youth-create"),
        intake_data(intake_on=today.isoformat(), risk_assessed_on=(today - timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 200
    assert 'data-field="risk_assessed_on">评估日期不能早于接收日期' in response.content.decode()
    assert not Youth.all_objects.exists()


@pytest.mark.parametrize(("hours", "bad"), [("0", True), ("30", True), ("0.5", False), ("24", False)])
def test_visit_page_bounds_the_hours(world, client, hours, bad):
    youth = YouthFactory(workstation=world.a.station)
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("mentoring:visit-create", args=[youth.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "form": "home",
            "place": "家中",
            "summary": "谈心",
            "hours": hours,
        },
    )
    assert ('data-field="hours">时长应大于 0 小时且不超过 24 小时' in response.content.decode()) is bad
    assert Visit.objects.exists() is not bad


def test_visit_before_the_intake_is_refused_next_to_the_date(world, client):
    youth = YouthFactory(workstation=world.a.station)
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("mentoring:visit-create", args=[youth.pk]),
        {
            "visited_on": (youth.intake_on - timedelta(days=1)).isoformat(),
            "form": "home",
            "place": "家中",
            "summary": "谈心",
            "hours": "1",
        },
    )
    assert 'data-field="visited_on">走访日期不能早于接收日期' in response.content.decode()
    assert not Visit.objects.exists()


def test_milestone_before_the_intake_is_refused(world):
    youth = YouthFactory(workstation=world.a.station)
    with pytest.raises(ValidationError) as caught:
        services.milestone_record(
            actor=world.user("staff"), youth=youth, kind="back_to_school", on=youth.intake_on - timedelta(days=1)
        )
    assert caught.value.message_dict == {"on": ["日期不能早于接收日期"]}
    assert not Milestone.objects.exists()
    services.milestone_record(actor=world.user("staff"), youth=youth, kind="back_to_school", on=youth.intake_on)


@pytest.mark.parametrize(
    "values",
    [
        {"birth_date": F("intake_on") + timedelta(days=1)},
        {"risk_assessed_on": F("intake_on") - timedelta(days=1)},
        {"closed_on": F("intake_on") - timedelta(days=1)},
        {"proposed_closed_on": F("intake_on") - timedelta(days=1)},
        {"consent_on": F("intake_on"), "consent_withdrawn_on": F("intake_on") - timedelta(days=1)},
        {"consent_on": None, "consent_withdrawn_on": F("intake_on")},
    ],
)
def test_database_refuses_youth_dates_out_of_order(world, values):
    youth = YouthFactory(workstation=world.a.station)
    with pytest.raises(IntegrityError), transaction.atomic():
        Youth.all_objects.filter(pk=youth.pk).update(**values)


@pytest.mark.parametrize("hours", [Decimal(0), Decimal("-1"), Decimal("24.5")])
def test_database_refuses_visit_hours_out_of_bounds(world, hours):
    youth = YouthFactory(workstation=world.a.station)
    visit = services.visit_record(
        actor=world.user("staff"), youth=youth, visited_on=youth.intake_on, place="家中", form="home", summary="谈心"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(hours=hours)


def test_database_refuses_a_team_ended_before_it_was_formed(world):
    youth = YouthFactory(workstation=world.a.station)
    lead = VolunteerFactory(workstation=world.a.station)
    team, _warnings = services.team_create(
        actor=world.user("staff"), youth=youth, team_type="one_to_one", lead=lead, members=[], formed_on=youth.intake_on
    )
    MentorTeam.objects.filter(pk=team.pk).update(ended_on=team.formed_on)  # the same day is possible
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorTeam.objects.filter(pk=team.pk).update(ended_on=team.formed_on - timedelta(days=1))


def _closed(world):
    youth = YouthFactory(workstation=world.a.station, intake_on=timezone.localdate() - timedelta(days=60))
    services.visit_record(
        actor=world.user("staff"),
        youth=youth,
        visited_on=youth.intake_on + timedelta(days=10),
        place="家",
        form="home",
        summary="谈心",
    )
    return youth


@pytest.mark.parametrize(
    ("write", "field"),
    [
        # closure not before the last visit
        (
            lambda w, y: services.youth_close(
                actor=w.user("head"), youth=y, outcome="completed", closed_on=y.intake_on + timedelta(days=9)
            ),
            "closed_on",
        ),
        # follow-up not before the closure
        (
            lambda w, y: services.followup_record(
                actor=w.user("staff"),
                youth=services.youth_close(
                    actor=w.user("head"), youth=y, outcome="completed", closed_on=y.intake_on + timedelta(days=20)
                ),
                done_on=y.intake_on + timedelta(days=19),
                summary="回访",
            ),
            "done_on",
        ),
        # re-offence, assessment and pairing not before the intake
        (
            lambda w, y: services.reinvolvement_record(
                actor=w.user("staff"), youth=y, kind="admin", on=y.intake_on - timedelta(days=1)
            ),
            "on",
        ),
        (
            lambda w, y: services.youth_assess(
                actor=w.user("staff"), youth=y, risk_level="high", assessed_on=y.intake_on - timedelta(days=1)
            ),
            "assessed_on",
        ),
        (
            lambda w, y: services.team_create(
                actor=w.user("staff"),
                youth=y,
                team_type="one_to_one",
                lead=VolunteerFactory(workstation=w.a.station),
                members=[],
                formed_on=y.intake_on - timedelta(days=1),
            ),
            "formed_on",
        ),
        # no future dates
        (
            lambda w, y: services.milestone_record(
                actor=w.user("staff"), youth=y, kind="employed", on=timezone.localdate() + timedelta(days=1)
            ),
            "on",
        ),
    ],
)
def test_services_refuse_case_dates_out_of_order(world, write, field):
    youth = _closed(world)
    with pytest.raises(ValidationError) as caught:
        write(world, youth)
    assert field in caught.value.message_dict


def test_call_followup_not_before_the_call(world):
    call = services.call_record(
        actor=world.user("staff"),
        workstation=world.a.station,
        kind="runaway",
        called_at=timezone.now() - timedelta(days=2),
        reference="JQ-1",
    )
    with pytest.raises(ValidationError) as caught:
        services.call_followup(
            actor=world.user("staff"), call=call, followup_on=timezone.localdate() - timedelta(days=3), result="no_need"
        )
    assert "followup_on" in caught.value.message_dict
