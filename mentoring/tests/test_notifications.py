"""Mentoring tells people what waits for them: team assignments, closures and unseal requests to approve,
and (daily) contacts, reassessments and follow-ups falling due. Texts about minors carry a masked name."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from mentoring import services
from mentoring.tests.factories import VolunteerFactory, YouthFactory
from stations.models import Notification, NotificationKind
from stations.tests.factories import UserFactory


def _texts(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values_list("text", flat=True))


def test_closure_proposal_waits_for_the_head_not_for_the_proposer(world):
    youth = YouthFactory(workstation=world.a.station, name="甲晓明")
    other_head = UserFactory(role="station_head", workstation=world.b.station)
    services.youth_close_propose(
        actor=world.user("staff"), youth=youth, outcome="back_to_school", closed_on=timezone.localdate()
    )
    [text] = _texts(world.user("head"), NotificationKind.APPROVAL)
    assert f"#{youth.pk} 甲某" in text and "晓明" not in text
    assert _texts(world.user("staff")) == [] and _texts(other_head) == []


def test_team_assignment_tells_the_stations_case_handlers(world):
    youth = YouthFactory(workstation=world.a.station, name="甲晓明")
    lead = VolunteerFactory(workstation=world.a.station, name="甲志远")
    services.team_create(
        actor=world.user("staff"), youth=youth, team_type="one_to_one", lead=lead, members=[], formed_on=youth.intake_on
    )
    [text] = _texts(world.user("head"), NotificationKind.ASSIGNMENT)
    assert "甲志远" in text and "甲某" in text and "晓明" not in text
    assert _texts(world.user("county")) == []  # the county does not handle cases


def test_unseal_request_waits_for_the_county_without_a_name(world):
    youth = YouthFactory(workstation=world.a.station, name="甲晓明")
    services.youth_seal(actor=world.user("head"), youth=youth, ground="刑事诉讼法第二百八十六条")
    services.youth_unseal_request(actor=world.user("head"), youth=youth, ground="依法撤销封存")
    [note] = Notification.objects.filter(recipient=world.user("county"))
    assert note.kind == NotificationKind.APPROVAL and "甲" not in note.text.replace(world.a.station.name, "")
    assert note.link == "/mentoring/unseal-requests/"


def test_notify_due_reminds_each_station_user_once_per_item(world):
    today = timezone.localdate()
    overdue = YouthFactory(
        workstation=world.a.station, name="甲晓明", intake_on=today - timedelta(days=60), risk_level="high"
    )
    YouthFactory(workstation=world.a.station, name="甲未到期")  # contact due in the future
    YouthFactory(workstation=world.b.station, intake_on=today - timedelta(days=60), risk_level="high")
    closed = YouthFactory(
        workstation=world.a.station,
        stage="closed",
        intake_on=today - timedelta(days=400),
        closed_on=today - timedelta(days=200),
        outcome="completed",
    )
    other_staff = UserFactory(role="station_staff", workstation=world.b.station)
    call_command("notify_due", stdout=StringIO())
    staff_texts = _texts(world.user("staff"), NotificationKind.DUE)
    assert any(f"#{overdue.pk} 甲某" in t and "联系走访" in t for t in staff_texts)
    assert any(f"#{closed.pk}" in t and "回访" in t for t in staff_texts)
    assert not any("未到期" in t or "晓明" in t for t in staff_texts)
    assert len(_texts(world.user("head"), NotificationKind.DUE)) == len(staff_texts)
    assert all(f"#{overdue.pk} " not in t for t in _texts(other_staff))
    assert _texts(world.user("county")) == []
    before = Notification.objects.count()
    call_command("notify_due", stdout=StringIO())
    assert Notification.objects.count() == before  # idempotent


def test_a_visit_ends_the_reminders_of_that_due_date(world):
    today = timezone.localdate()
    youth = YouthFactory(workstation=world.a.station, intake_on=today - timedelta(days=60), risk_level="high")
    call_command("notify_due", stdout=StringIO())
    count = Notification.objects.filter(recipient=world.user("staff"), text__contains="联系走访").count()
    services.visit_record(
        actor=world.user("staff"), youth=youth, visited_on=today, place="家", form="home", summary="x"
    )
    call_command("notify_due", stdout=StringIO())
    assert Notification.objects.filter(recipient=world.user("staff"), text__contains="联系走访").count() == count


def test_the_beat_task_writes_the_same_reminders(world, settings):
    from mentoring.tasks import notify_due

    assert "mentoring.tasks.notify_due" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    today = timezone.localdate()
    YouthFactory(workstation=world.a.station, intake_on=today - timedelta(days=60), risk_level="high")
    assert notify_due.delay().get() == 2  # staff and head, one contact due each
    assert notify_due.delay().get() == 0
