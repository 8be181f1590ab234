"""Inspections tell the station and the county what waits for them: a finding to rectify, an answer to
verify, a rectification sent back, a checklist to review, a checklist reopened."""

from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import services
from inspections.tests.conftest import scored_round
from stations.models import Notification, NotificationKind
from stations.tests.factories import UserFactory


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def test_rectification_round_trip_tells_each_side(world, officer, province_template):
    staff, head = world.user("staff"), world.user("head")
    neighbour = UserFactory(role="station_staff", workstation=world.b.station)
    inspection = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80}
    ).inspections.get()
    rect = services.rectification_raise(
        actor=officer, inspection=inspection, finding="无联席会议记录", responsible="李"
    )
    assert _kinds(staff) == [NotificationKind.ASSIGNMENT] and _kinds(head) == [NotificationKind.ASSIGNMENT]
    rect = services.rectification_answer(actor=head, rectification=rect, answer="已补", files=[_pdf()])
    assert _kinds(officer) == [NotificationKind.APPROVAL]
    rect = services.rectification_return(actor=officer, rectification=rect, reason="缺少签到表")
    note = Notification.objects.get(recipient=staff, kind=NotificationKind.RETURNED)
    assert "缺少签到表" in note.text and note.link == f"/inspections/rectifications/{rect.pk}/"
    assert NotificationKind.RETURNED in _kinds(head)
    assert _kinds(neighbour) == []  # another station's users are never told


def test_checklist_submit_waits_for_the_county_and_reopen_tells_the_head(world):
    head, county = world.user("head"), world.user("county")
    checklist = services.checklist_for(actor=head, workstation=world.a.station, year=2025)
    services.checklist_save(actor=head, checklist=checklist, filled_by="刘晓燕")
    checklist = services.checklist_submit(actor=head, checklist=checklist)
    assert _kinds(county) == [NotificationKind.APPROVAL]
    assert _kinds(world.user("city")) == []  # the county reviews its own stations' checklists
    services.checklist_reopen(actor=county, checklist=checklist, reason="经费数据有误")
    note = Notification.objects.get(recipient=head, kind=NotificationKind.REOPENED)
    assert "经费数据有误" in note.text and note.link == f"/inspections/checklists/{world.a.station.pk}/2025/"
    assert _kinds(world.user("staff")) == []  # the head submits again
