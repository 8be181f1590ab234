"""Audited actions of the activities app, each performed through its page (see tests/audit_support.py)."""

from activities.forms import ENTRY_FIELDS
from activities.models import Activity
from activities.tests.access import _photo, attachment
from activities.tests.factories import activity
from tests.access import form_data
from tests.audit_support import Expect, get, post


def activity_data(world, **changes):
    """A complete legal lecture as the form posts it, titled 审计讲座."""
    template = activity(world.a.station, "legal_lecture", title="模板讲座", audience_count=120)
    data = form_data(template, ENTRY_FIELDS, title="审计讲座", vice_principal_name="李副校长", volunteers=[])
    data.update(changes)
    return data


def _create(world, client):
    post(client, world.user("staff"), "activities:activity-create", data=activity_data(world))
    return Expect(world.user("staff"), Activity.objects.get(title="审计讲座"))


def _update(world, client):
    record = activity(world.a.station, "legal_lecture", title="待改讲座", audience_count=80)
    data = form_data(record, ENTRY_FIELDS, summary="补记", vice_principal_name="李副校长", version=record.version)
    post(client, world.user("staff"), "activities:activity-edit", {"pk": record.pk}, data)
    return Expect(world.user("staff"), record)


def _archive(world, client):
    record = activity(world.a.station, "legal_lecture", title="重复讲座", audience_count=80)
    post(client, world.user("head"), "activities:activity-archive", {"pk": record.pk}, {"reason": "重复录入"})
    return Expect(world.user("head"), record)


def _attachment(world, client):
    record = activity(world.a.station, "legal_lecture", title="有照片的讲座", audience_count=80)
    data = {"kind": "photo", "file": _photo()}
    post(client, world.user("staff"), "activities:attachment-upload", {"pk": record.pk}, data)
    return Expect(world.user("staff"), record)  # the entry names the activity


def _import(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from activities.tests.factories import volunteer
    from activities.tests.test_import import good_rows, ledger

    volunteer(world.a.station, "王老", lecturer=True)
    volunteer(world.a.station, "李老")
    staff = world.user("staff")
    upload = SimpleUploadedFile("a.xlsx", ledger(good_rows()))
    response = post(client, staff, "activities:import", data={"file": upload}, expect=(200,))
    post(client, staff, "activities:import-confirm", data={"token": response.context["token"]})
    assert Activity.objects.filter(title="法治进校园").exists()
    return Expect(staff, None)


def download(world, client):
    item = attachment(world.a)
    get(client, world.user("county"), "activities:attachment-download", {"pk": item.pk})
    return Expect(world.user("county"), item.activity)  # the entry names the activity


CASES = {
    "activity.create": _create,
    "activity.update": _update,
    "activity.archive": _archive,
    "activity.attachment_add": _attachment,
    "activity.import": _import,
    # "file.download" (one action, four download views) is the stations app's case
}
