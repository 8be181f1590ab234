"""Audited actions of the volunteers app, each performed through its page (see tests/audit_support.py)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from stations import idnumbers
from tests.access import form_data, today
from tests.audit_support import Expect, get, post
from volunteers.models import Training, Volunteer
from volunteers.tests.access import EDIT_FIELDS
from volunteers.tests.factories import VolunteerFactory


def _create(world, client):
    staff = world.user("staff")
    data = {
        "workstation": world.a.station.pk,
        "name": "审计新人",
        "id_number": idnumbers.make("230102", date(1958, 6, 1), 13),
        "mobile": "13904511234",
        "elder_category": "none",
        "member_type": "retired_officer",
        "position": "member",
        "joined_on": "2024-03-01",
    }
    post(client, staff, "volunteers:volunteer-create", data=data)
    return Expect(staff, Volunteer.objects.get(name="审计新人"))


def _on_volunteer(name, data):
    def perform(world, client):
        volunteer = VolunteerFactory(workstation=world.a.station)
        post(client, world.user("staff"), name, {"pk": volunteer.pk}, data(volunteer))
        return Expect(world.user("staff"), volunteer)

    return perform


def _training(world, client):
    staff = world.user("staff")
    attendee = VolunteerFactory(workstation=world.a.station)
    data = {
        "workstation": world.a.station.pk,
        "title": "审计培训",
        "held_on": "2025-04-01",
        "organiser": "县关工委",
        "hours": "2",
        "attendees": [attendee.pk],
    }
    post(client, staff, "volunteers:training-create", data=data)
    return Expect(staff, Training.objects.get(title="审计培训"))


def _import(world, client):
    from volunteers.tests.test_import import row, xlsx

    staff = world.user("staff")
    upload = SimpleUploadedFile("v.xlsx", xlsx([row(world.a.station, 1)]))
    response = post(client, staff, "volunteers:import", data={"file": upload}, expect=(200,))
    post(client, staff, "volunteers:import-confirm", data={"token": response.context["token"]})
    assert Volunteer.objects.filter(name="导入1号").exists()
    return Expect(staff, None)


def _training_import(world, client):
    from volunteers.tests.test_training_import import attendance, members

    members(world)
    staff = world.user("staff")
    upload = SimpleUploadedFile("t.xlsx", attendance())
    response = post(client, staff, "volunteers:training-import", data={"file": upload}, expect=(200,))
    post(client, staff, "volunteers:training-import-confirm", data={"token": response.context["token"]})
    assert Training.objects.filter(title="调解技巧培训").exists()
    return Expect(staff, None)


def _view_identity(world, client):
    volunteer = VolunteerFactory(workstation=world.a.station)
    get(client, world.user("staff"), "volunteers:volunteer-edit", {"pk": volunteer.pk})
    return Expect(world.user("staff"), volunteer)


def _service_sync(world, client):
    """An activity with a volunteer adds the volunteer's hours through the one ledger."""
    from activities.models import Activity
    from activities.tests.audit_actions import activity_data

    staff = world.user("staff")
    volunteer = VolunteerFactory(workstation=world.a.station)
    post(client, staff, "activities:activity-create", data=activity_data(world, volunteers=[volunteer.pk]))
    return Expect(staff, Activity.objects.get(title="审计讲座"))


CASES = {
    "volunteer.create": _create,
    "volunteer.update": _on_volunteer(
        "volunteers:volunteer-edit", lambda v: form_data(v, EDIT_FIELDS, skills="普法", version=v.version)
    ),
    "volunteer.leave": _on_volunteer("volunteers:volunteer-leave", lambda v: {"left_on": today(), "reason": "年迈"}),
    "volunteer.status": _on_volunteer(
        "volunteers:volunteer-status", lambda v: {"status": "paused", "changed_on": today()}
    ),
    "service_log.add": _on_volunteer(
        "volunteers:service-add", lambda v: {"served_on": today(), "hours": "2", "kind": "visit"}
    ),
    "service_log.sync": _service_sync,
    "training.create": _training,
    "volunteer.import": _import,
    "training.import": _training_import,
    "volunteer.view_identity": _view_identity,
}
