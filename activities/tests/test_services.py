"""Services: create/update/archive, period lock, service-hours ledger, attachments, copy-from-last."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from activities import services
from activities.models import Activity
from activities.tests.factories import activity, activity_type, volunteer
from stations.models import AuditEntry, PeriodLock
from stations.scoping import OutOfScope
from stations.tests.factories import WorkstationFactory
from volunteers.models import ServiceLog

pytestmark = pytest.mark.django_db


def lecture_fields(**extra):
    fields = {
        "type": activity_type("legal_lecture"),
        "title": "法治进校园",
        "held_on": date(2025, 4, 1),
        "hours": Decimal("2.0"),
        "audience_count": 300,
        "school": "新阳路小学",
        "vice_principal_name": "副校长钱某",
    }
    return fields | extra


def test_create_syncs_service_hours_idempotently(world):
    staff, station = world.user("staff"), world.a.station
    v1, v2 = volunteer(station), volunteer(station)
    record = services.activity_create(actor=staff, workstation=station, volunteers=[v1, v2], **lecture_fields())
    assert record.stations.get() == station
    assert AuditEntry.objects.filter(action="activity.create").count() == 1
    assert ServiceLog.objects.filter(source_id=record.pk).count() == 2
    services.activity_update(actor=staff, activity=record, volunteers=[v1], **lecture_fields(hours=Decimal("3")))
    services.activity_update(actor=staff, activity=record, volunteers=[v1], **lecture_fields(hours=Decimal("3")))
    logs = ServiceLog.objects.filter(source_id=record.pk)
    assert [(log.volunteer, log.hours, log.kind) for log in logs] == [(v1, Decimal("3.0"), "lecture")]
    services.activity_archive(actor=staff, activity=record, reason="重复录入")
    assert not ServiceLog.objects.filter(source_id=record.pk).exists()


def test_locked_year_refuses_create_and_edit_next_to_the_date(world):
    staff, station = world.user("staff"), world.a.station
    record = services.activity_create(actor=staff, workstation=station, **lecture_fields())
    PeriodLock.objects.create(workstation=station, year=2025, is_locked=True)
    with pytest.raises(ValidationError) as created:
        services.activity_create(actor=staff, workstation=station, **lecture_fields(title="新活动"))
    assert "2025 年度台账已提交并锁定" in created.value.message_dict["held_on"][0]
    with pytest.raises(ValidationError) as edited:
        services.activity_update(actor=staff, activity=record, **lecture_fields(title="改名"))
    assert "held_on" in edited.value.message_dict
    # moving a record of an open year into the locked year is refused too
    other = services.activity_create(actor=staff, workstation=station, **lecture_fields(held_on=date(2024, 5, 1)))
    with pytest.raises(ValidationError):
        services.activity_update(actor=staff, activity=other, **lecture_fields(held_on=date(2025, 5, 1)))
    assert Activity.objects.get(pk=record.pk).title == "法治进校园"


def test_locked_year_shows_chinese_message_next_to_the_date_field(world, client_as):
    station = world.a.station
    PeriodLock.objects.create(workstation=station, year=2025, is_locked=True)
    response = client_as(world.user("staff")).post(
        "/activities/new/",
        {
            "type": activity_type("theory_study").pk,
            "title": "理论学习",
            "held_on": "2025-03-01",
            "hours": "2",
            "audience_count": "0",
            "police_count": "0",
            "teacher_count": "0",
            "parent_count": "0",
            "minors_reached": "0",
            "people_helped": "0",
            "amount_yuan": "0",
            "audience_kind": "mixed",
        },
    )
    assert response.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" data-field="held_on">2025 年度台账已提交并锁定'
        in response.content.decode()
    )
    assert not Activity.objects.exists()


def test_lecture_needs_a_lecturer_with_the_role(world):
    staff, station = world.user("staff"), world.a.station
    plain = volunteer(station)
    with pytest.raises(ValidationError) as missing:
        services.activity_create(actor=staff, workstation=station, **lecture_fields(vice_principal_name=""))
    assert "宣讲人" in missing.value.message_dict["lecturer"][0]
    with pytest.raises(ValidationError) as not_lecturer:
        services.activity_create(actor=staff, workstation=station, **lecture_fields(lecturer=plain))
    assert "不是法治宣讲员" in not_lecturer.value.message_dict["lecturer"][0]
    lecturer = volunteer(station, lecturer=True)
    record = services.activity_create(actor=staff, workstation=station, **lecture_fields(lecturer=lecturer))
    assert record.lecturer == lecturer


def test_volunteers_of_another_station_or_left_are_refused(world):
    staff, station = world.user("staff"), world.a.station
    foreign = volunteer(world.b.station)
    gone = volunteer(station, status="left")
    for person in (foreign, gone):
        with pytest.raises(ValidationError) as error:
            services.activity_create(actor=staff, workstation=station, volunteers=[person], **lecture_fields())
        assert "volunteers" in error.value.message_dict


def test_joint_stations_must_be_active_in_the_same_county(world):
    staff, station = world.user("staff"), world.a.station
    sibling = WorkstationFactory(county=world.a.county)
    record = services.activity_create(
        actor=staff,
        workstation=station,
        joint_stations=[sibling],
        **lecture_fields(type=activity_type("joint_meeting")),
    )
    assert set(record.stations.all()) == {station, sibling}
    with pytest.raises(ValidationError) as error:
        services.activity_create(actor=staff, workstation=station, joint_stations=[world.b.station], **lecture_fields())
    assert "joint_stations" in error.value.message_dict


def test_other_station_cannot_write(world):
    record = activity(world.b.station)
    with pytest.raises(OutOfScope):
        services.activity_update(actor=world.user("staff"), activity=record, title="x")
    with pytest.raises(OutOfScope):
        services.activity_create(actor=world.user("staff"), workstation=world.b.station, **lecture_fields())


def test_future_date_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=world.user("staff"), workstation=world.a.station, **lecture_fields(held_on=date(2999, 1, 1))
        )
    assert "不能晚于今天" in error.value.message_dict["held_on"][0]


def test_copy_initial_takes_fields_and_today(world):
    staff, station = world.user("staff"), world.a.station
    v1 = volunteer(station)
    source = services.activity_create(actor=staff, workstation=station, volunteers=[v1], **lecture_fields())
    initial = services.activity_copy_initial(actor=staff, source=source)
    assert initial["title"] == "法治进校园"
    assert initial["school"] == "新阳路小学"
    assert initial["volunteers"] == [v1.pk]
    assert initial["held_on"] != source.held_on


def jpeg_bytes(size=(3000, 2000)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_photo_is_resized_to_1600_px(world):
    record = activity(world.a.station)
    upload = SimpleUploadedFile("合影.jpg", jpeg_bytes(), content_type="image/jpeg")
    item = services.attachment_add(actor=world.user("staff"), activity=record, kind="photo", upload=upload)
    with Image.open(item.file.path) as image:
        assert max(image.size) == 1600
    assert item.original_name == "合影.jpg"


def test_exe_renamed_jpg_is_refused_in_chinese(world):
    record = activity(world.a.station)
    upload = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 500, content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=world.user("staff"), activity=record, kind="photo", upload=upload)
    assert "不是有效的图片文件" in error.value.message_dict["file"][0]
    assert not record.attachments.exists()


def test_sign_in_sheet_accepts_pdf_and_refuses_fake_pdf(world):
    record = activity(world.a.station)
    staff = world.user("staff")
    good = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 sheet", content_type="application/pdf")
    services.attachment_add(actor=staff, activity=record, kind="sign_in", upload=good)
    bad = SimpleUploadedFile("纪要.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="不是 PDF"):
        services.attachment_add(actor=staff, activity=record, kind="minutes", upload=bad)
    assert record.attachments.count() == 1


def test_volunteer_who_joined_after_the_activity_is_a_field_error(world):
    late = volunteer(world.a.station, "新入列", joined_on=date(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=world.user("staff"), workstation=world.a.station, volunteers=[late], **lecture_fields()
        )
    assert "新入列 的入列日期晚于活动日期" in error.value.message_dict["volunteers"][0]


def test_organiser_is_always_a_linked_station_the_scope_filter_relies_on_it(world):
    """stations.scoping.shared_scope_q reads the link table only: every write keeps the organiser in it."""
    staff, station = world.user("staff"), world.a.station
    sibling = WorkstationFactory(county=world.a.county)
    record = services.activity_create(actor=staff, workstation=station, joint_stations=[sibling], **lecture_fields())
    assert set(record.stations.all()) == {station, sibling}
    services.activity_update(actor=staff, activity=record, joint_stations=[], **lecture_fields(title="改名"))
    assert list(record.stations.all()) == [station]
    services.activity_update(
        actor=staff, activity=record, joint_stations=[sibling, station], **lecture_fields(title="再改")
    )
    assert set(record.stations.all()) == {station, sibling}
    assert not Activity.objects.exclude(stations=station).filter(workstation=station).exists()
