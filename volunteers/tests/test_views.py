"""What station users and supervisors see on the volunteer pages, and what the forms refuse."""

import re
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from stations import idnumbers
from stations.models import AuditEntry
from stations.tests.factories import WorkstationFactory
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.tests.factories import ServiceLogFactory, TrainingFactory, VolunteerFactory, VolunteerRoleFactory

# stations.audit takes an advisory lock (one more query) on PostgreSQL.
PG_AUDIT_LOCK = int(connection.vendor == "postgresql")
FULL_ID = "11010519491231002X"
FULL_PHONE = "13812345678"


@pytest.fixture
def person(world):
    volunteer = VolunteerFactory(
        workstation=world.a.station,
        name="王守法",
        id_number=FULL_ID,
        id_hash=idnumbers.lookup_hash(FULL_ID),
        gender="female",
        birth_date=date(1949, 12, 31),
        mobile=FULL_PHONE,
    )
    VolunteerRoleFactory(volunteer=volunteer, role="mediator")
    return volunteer


@pytest.mark.parametrize("role", ["staff", "head"])
def test_station_user_sees_full_id_and_phone_and_the_view_is_audited(world, client_as, person, role):
    client = client_as(world.user(role))
    for url in (reverse("volunteers:volunteer-list"), reverse("volunteers:volunteer-detail", args=[person.pk])):
        before = AuditEntry.objects.filter(action="volunteer.view_identity").count()
        body = client.get(url).content.decode()
        assert FULL_ID in body and FULL_PHONE in body
        assert "矛盾调解员" in body
        assert url.endswith("/volunteers/") or "1949-12-31" in body
        assert AuditEntry.objects.filter(action="volunteer.view_identity").count() == before + 1


@pytest.mark.parametrize("role", ["county", "city", "prov"])
def test_supervisors_see_masked_id_and_phone_and_nothing_is_audited(world, client_as, person, role):
    client = client_as(world.user(role))
    for url in (reverse("volunteers:volunteer-list"), reverse("volunteers:volunteer-detail", args=[person.pk])):
        body = client.get(url).content
        assert FULL_ID.encode() not in body and FULL_PHONE.encode() not in body
        assert b"110105********002X" in body and b"138****5678" in body
        assert b"1949-12-31" not in body  # the birth date is eight of the masked digits
    assert not AuditEntry.objects.filter(action="volunteer.view_identity").exists()


def test_station_user_does_not_see_other_stations_volunteers(world, client_as, person):
    other = VolunteerFactory(workstation=world.b.station, name="乙站人员")
    body = client_as(world.user("staff")).get(reverse("volunteers:volunteer-list")).content.decode()
    assert "王守法" in body and "乙站人员" not in body
    assert (
        client_as(world.user("staff")).get(reverse("volunteers:volunteer-detail", args=[other.pk])).status_code == 404
    )
    county_body = client_as(world.user("prov")).get(reverse("volunteers:volunteer-list")).content.decode()
    assert "乙站人员" in county_body


def test_search_by_name_phone_and_id_tail(world, client_as, person):
    VolunteerFactory(workstation=world.a.station, name="李其他")
    client = client_as(world.user("staff"))
    url = reverse("volunteers:volunteer-list")
    for term in ("王守", "5678", "002X", "002x"):
        body = client.get(url, {"q": term}).content.decode()
        assert "王守法" in body and "李其他" not in body, term


def test_filters_role_category_status_and_stars(world, client_as, person):
    elder = VolunteerFactory(workstation=world.a.station, name="老教师甲", elder_category="veteran_teacher")
    gone = VolunteerFactory(workstation=world.a.station, name="已退出乙", status=VolunteerStatus.LEFT)
    for day in range(1, 26):  # 25 × 4 h = 100 h: one star
        ServiceLogFactory(volunteer=elder, served_on=date(2025, 1, day), hours=4)
    client = client_as(world.user("staff"))
    url = reverse("volunteers:volunteer-list")

    def names(**params):
        body = client.get(url, params).content.decode()
        return {n for n in ("王守法", "老教师甲", "已退出乙") if n in body}

    assert names(role="mediator") == {"王守法"}
    assert names(elder_category="veteran_teacher") == {"老教师甲"}
    assert names(status="left") == {"已退出乙"}
    assert names(status="current") == {"王守法", "老教师甲"}
    assert names(stars="1") == {"老教师甲"}
    assert names(stars="0") == {"王守法", "已退出乙"}
    assert names() == {"王守法", "老教师甲", gone.name}  # no filter: the whole roll, those who left too


def _many(station, n):
    Volunteer.objects.bulk_create(
        [
            Volunteer(
                workstation=station,
                name=f"批量{i}",
                gender="male",
                member_type="retired_officer",
                joined_on=date(2024, 1, 1),
                id_number="",
                id_hash="",
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("rows", [50, 500])
def test_list_query_count_is_pinned(world, client_as, django_assert_max_num_queries, rows):
    _many(world.a.station, rows)
    client = client_as(world.user("staff"))
    client.get(reverse("volunteers:volunteer-list"))  # warm the session
    with django_assert_max_num_queries(18 + PG_AUDIT_LOCK):
        response = client.get(reverse("volunteers:volunteer-list"), {"workstation": world.a.station.pk})
    assert response.status_code == 200
    assert f"共 {rows} 条" in response.content.decode()


def test_list_for_a_station_shows_the_staffing_check(world, client_as, person):
    body = (
        client_as(world.user("county"))
        .get(reverse("volunteers:volunteer-list"), {"workstation": world.a.station.pk})
        .content.decode()
    )
    assert "人员配备检查" in body
    assert "未配备站长" in body and "退休民警 1 名，应为 3–5 名" in body


def test_workstation_page_shows_the_staffing_panel(world, client_as, person):
    body = (
        client_as(world.user("head"))
        .get(reverse("stations:workstation-detail", args=[world.a.station.pk]))
        .content.decode()
    )
    assert "人员配备检查" in body and "未配备副站长" in body


def _form(station, **overrides):
    data = {
        "workstation": station.pk,
        "name": "赵新五老",
        "id_number": idnumbers.make("230102", date(1958, 6, 1), 13),
        "gender": "",
        "birth_date": "",
        "mobile": "139 0451 1234",
        "elder_category": "veteran_soldier",
        "member_type": "retired_officer",
        "position": "member",
        "joined_on": "2024-03-01",
        "roles": ["legal_lecturer", "order_monitor"],
    }
    data.update(overrides)
    return data


def test_create_fills_birth_date_and_gender_from_the_id(world, client_as):
    client = client_as(world.user("staff"))
    response = client.post(reverse("volunteers:volunteer-create"), _form(world.a.station))
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(name="赵新五老")
    assert volunteer.birth_date == date(1958, 6, 1) and volunteer.gender == "male"
    assert volunteer.mobile == "13904511234"
    assert volunteer.id_hash == idnumbers.lookup_hash(volunteer.id_number)
    assert sorted(volunteer.roles.values_list("role", flat=True)) == ["legal_lecturer", "order_monitor"]
    assert AuditEntry.objects.filter(action="volunteer.create").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "11010519491231002Y"}, "身份证号"),
        ({"id_number": "110105194912310021"}, "校验位错误"),
        ({"birth_date": "1958-06-02"}, "出生日期与填写的出生日期不一致"),
        ({"gender": "female"}, "性别位与填写的性别不一致"),
        ({"mobile": "12345678901"}, "手机号码应为 11 位数字"),
        ({"mobile": "0451-12345678"}, "手机号码应为 11 位数字"),
        ({"joined_on": "2999-01-01"}, "入列日期不能晚于今天"),
    ],
)
def test_create_refuses_bad_input_next_to_the_field(world, client_as, overrides, message):
    response = client_as(world.user("staff")).post(
        reverse("volunteers:volunteer-create"), _form(world.a.station, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Volunteer.objects.filter(name="赵新五老").exists()


def test_create_refuses_a_person_current_in_another_station(world, client_as):
    number = idnumbers.make("230102", date(1958, 6, 1), 13)
    VolunteerFactory(workstation=world.b.station, id_number=number, id_hash=idnumbers.lookup_hash(number))
    response = client_as(world.user("staff")).post(reverse("volunteers:volunteer-create"), _form(world.a.station))
    assert "该人员已在其他工作站在册" in response.content.decode()
    assert Volunteer.objects.filter(id_hash=idnumbers.lookup_hash(number)).count() == 1


def test_foreign_station_posted_into_create_is_a_field_error(world, client_as):
    response = client_as(world.user("staff")).post(reverse("volunteers:volunteer-create"), _form(world.b.station))
    assert response.status_code == 200
    assert not Volunteer.objects.filter(name="赵新五老").exists()


def test_edit_with_a_stale_version_is_refused(world, client_as, person):
    client = client_as(world.user("staff"))
    url = reverse("volunteers:volunteer-edit", args=[person.pk])
    data = _form(world.a.station, name="王守法改", id_number=FULL_ID, gender="female", version=person.version)
    data.pop("workstation")
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.name == "王守法改" and person.version == 2
    data["name"] = "第二次"
    response = client.post(url, data)  # still version 1
    assert "其他用户已修改此记录" in response.content.decode()
    person.refresh_from_db()
    assert person.name == "王守法改"


def test_leave_records_date_and_reason(world, client_as, person):
    client = client_as(world.user("staff"))
    response = client.post(
        reverse("volunteers:volunteer-leave", args=[person.pk]), {"left_on": "2025-05-01", "reason": "身体原因"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "left" and person.left_on == date(2025, 5, 1) and person.left_reason == "身体原因"
    detail = client.get(reverse("volunteers:volunteer-detail", args=[person.pk])).content.decode()
    assert "身体原因" in detail and "已退出" in detail


def test_leave_before_joining_is_refused(world, client_as, person):
    response = client_as(world.user("staff")).post(
        reverse("volunteers:volunteer-leave", args=[person.pk]), {"left_on": "2020-01-01", "reason": "x原因"}
    )
    assert "退出日期不能早于入列日期" in response.content.decode()


def test_status_pause_and_resume(world, client_as, person):
    client = client_as(world.user("staff"))
    url = reverse("volunteers:volunteer-status", args=[person.pk])
    assert client.post(url, {"status": "paused", "changed_on": "2025-01-01"}).status_code == 302
    person.refresh_from_db()
    assert person.status == "paused"
    assert client.post(url, {"status": "active", "changed_on": "2025-02-01"}).status_code == 302
    person.refresh_from_db()
    assert person.status == "active"


def test_transfer_ends_the_old_membership_and_keeps_history(world, client_as, person):
    target = WorkstationFactory(county=world.a.county, merged_into=world.a.station, name="并入站关爱工作站")
    client = client_as(world.user("staff"))
    response = client.post(
        reverse("volunteers:volunteer-transfer", args=[person.pk]), {"to": target.pk, "transferred_on": "2025-06-01"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "left" and person.left_on == date(2025, 6, 1)
    new = Volunteer.objects.get(transferred_from=person)
    assert new.workstation == target and new.status == "active" and new.id_hash == person.id_hash
    assert list(new.roles.values_list("role", flat=True)) == ["mediator"]
    detail = client.get(reverse("volunteers:volunteer-detail", args=[new.pk])).content.decode()
    assert world.a.station.name in detail and "并入站关爱工作站" in detail


def test_transfer_to_a_station_out_of_scope_is_a_field_error(world, client_as, person):
    response = client_as(world.user("staff")).post(
        reverse("volunteers:volunteer-transfer", args=[person.pk]),
        {"to": world.b.station.pk, "transferred_on": "2025-06-01"},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == "active"


def test_training_is_listed_with_sessions_and_person_times(world, client_as, person):
    other = VolunteerFactory(workstation=world.a.station)
    training = TrainingFactory(workstation=world.a.station, title="法治宣讲培训", held_on=date(2025, 3, 3))
    training.attendees.set([person, other])
    TrainingFactory(workstation=world.a.station, title="心理疏导培训", held_on=date(2025, 9, 3)).attendees.set([person])
    client = client_as(world.user("county"))
    body = client.get(reverse("volunteers:training-list"), {"period": "2025"}).content.decode()
    assert "共培训 2 期，3 人次" in body
    body = client.get(reverse("volunteers:training-list"), {"period": "2025H1"}).content.decode()
    assert "共培训 1 期，2 人次" in body
    detail = client.get(reverse("volunteers:volunteer-detail", args=[person.pk])).content.decode()
    assert "法治宣讲培训" in detail and "心理疏导培训" in detail


def test_training_create_with_certificate(world, client_as, person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(world.user("staff"))
    data = {
        "workstation": world.a.station.pk,
        "title": "调解技能培训",
        "held_on": "2025-04-02",
        "organiser": "县关工委",
        "hours": "3",
        "attendees": [person.pk],
        "certificate": SimpleUploadedFile("cert.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
    }
    response = client.post(reverse("volunteers:training-create"), data)
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "调解技能培训" in detail and "王守法" in detail
    bad = dict(data, title="坏证书", certificate=SimpleUploadedFile("cert.pdf", b"not a pdf"))
    response = client.post(reverse("volunteers:training-create"), bad)
    assert "文件内容不是 PDF" in response.content.decode()


def test_training_with_foreign_attendee_is_refused(world, client_as):
    foreign = VolunteerFactory(workstation=world.b.station)
    response = client_as(world.user("staff")).post(
        reverse("volunteers:training-create"),
        {
            "workstation": world.a.station.pk,
            "title": "越权培训",
            "held_on": "2025-04-02",
            "organiser": "x",
            "hours": "1",
            "attendees": [foreign.pk],
        },
    )
    assert response.status_code == 200
    assert not foreign.trainings.exists()


def test_nav_has_the_volunteers_entry(world, client_as):
    body = client_as(world.user("county")).get(reverse("stations:home")).content.decode()
    assert reverse("volunteers:volunteer-list") in body


def test_list_accepts_the_figure_links_period_and_org(world, client_as, person):
    VolunteerFactory(workstation=world.a.station, name="二〇二六入列", joined_on=date(2026, 1, 2))
    VolunteerFactory(workstation=world.b.station, name="乙县人员")
    client = client_as(world.user("prov"))
    url = reverse("volunteers:volunteer-list")
    body = client.get(url, {"period": "2025", "org": world.a.county.pk}).content.decode()
    assert "王守法" in body and "二〇二六入列" not in body and "乙县人员" not in body
    outside = client.get(url, {"org": world.z.county.pk})
    assert outside.status_code == 200 and outside.context["count"] == 0
    assert "所选单位不存在或不在您的管辖范围内" in outside.content.decode()


def test_supervisors_cannot_probe_full_phone_or_id_by_search(world, client_as, person):
    client = client_as(world.user("county"))
    url = reverse("volunteers:volunteer-list")
    assert "王守法" in client.get(url, {"q": "5678"}).content.decode()
    for probe in (FULL_PHONE, FULL_ID, FULL_ID[-8:]):
        assert "王守法" not in client.get(url, {"q": probe}).content.decode(), probe
    station = client_as(world.user("staff"))
    assert "王守法" in station.get(url, {"q": FULL_PHONE}).content.decode()
    assert "王守法" in station.get(url, {"q": FULL_ID}).content.decode()


def test_edit_page_with_full_values_is_audited(world, client_as, person):
    body = client_as(world.user("staff")).get(reverse("volunteers:volunteer-edit", args=[person.pk])).content.decode()
    assert FULL_ID in body
    assert AuditEntry.objects.filter(action="volunteer.view_identity", object_id=str(person.pk)).count() == 1


def test_detail_shows_hours_per_year_and_the_star_level(world, client_as, person):
    this_year = date.today().year
    ServiceLogFactory(volunteer=person, served_on=date(this_year, 1, 2), hours=8)
    ServiceLogFactory(volunteer=person, served_on=date(this_year - 1, 5, 2), hours=4)
    for day in range(1, 23):
        ServiceLogFactory(volunteer=person, served_on=date(this_year - 2, 3, day), hours=4)
    body = (
        client_as(world.user("county")).get(reverse("volunteers:volunteer-detail", args=[person.pk])).content.decode()
    )
    assert f"{this_year} 年 8.0 小时 · {this_year - 1} 年 4.0 小时" in body
    assert "100.0 小时 · 1 ★" in body


def test_training_list_accepts_org(world, client_as):
    TrainingFactory(workstation=world.a.station, title="甲县培训")
    TrainingFactory(workstation=world.b.station, title="乙县培训")
    client = client_as(world.user("prov"))
    body = client.get(reverse("volunteers:training-list"), {"org": world.a.county.pk}).content.decode()
    assert "甲县培训" in body and "乙县培训" not in body


def test_home_lists_stations_failing_the_staffing_check(world, client_as, person):
    body = client_as(world.user("county")).get(reverse("stations:home")).content.decode()
    assert "人员配备未达标的工作站" in body and world.a.station.name in body and "未配备站长" in body
    assert world.b.station.name not in body  # another county


@pytest.mark.parametrize("rows", [50, 500])
def test_training_list_query_count_is_pinned(world, client_as, django_assert_max_num_queries, rows):
    from volunteers.models import Training

    trainings = Training.objects.bulk_create(
        [
            Training(workstation=world.a.station, title=f"培训{i}", held_on=date(2025, 1, 1), organiser="x", hours=1)
            for i in range(rows)
        ]
    )
    people = VolunteerFactory.create_batch(3, workstation=world.a.station)
    Training.attendees.through.objects.bulk_create(
        [Training.attendees.through(training=t, volunteer=p) for t in trainings for p in people[: 1 + t.pk % 3]]
    )
    client = client_as(world.user("county"))
    client.get(reverse("volunteers:training-list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("volunteers:training-list"), {"period": "2025"})
    body = response.content.decode()
    person_times = sum(1 + t.pk % 3 for t in trainings)
    assert f"共培训 {rows} 期，{person_times} 人次" in body
    # each row's person-times, as the detail page counts them
    shown = sorted(trainings, key=lambda t: -t.pk)[:25]
    cells = re.findall(r'data-testid="training-row">.*?<td>(\d+)</td></tr>', body)
    assert cells == [str(1 + t.pk % 3) for t in shown]


def test_station_user_records_service_hours(world, client_as, person):
    client = client_as(world.user("staff"))
    url = reverse("volunteers:service-add", args=[person.pk])
    response = client.post(url, {"served_on": "2025-03-01", "hours": "2.5", "kind": "visit", "note": "走访"})
    assert response.status_code == 302
    detail = client.get(reverse("volunteers:volunteer-detail", args=[person.pk])).content.decode()
    assert "走访帮教" in detail and "2.5" in detail
    response = client.post(url, {"served_on": "2025-03-01", "hours": "30", "kind": "visit"})
    assert response.status_code == 200 and person.service.count() == 1
    response = client.post(url, {"served_on": "2020-03-01", "hours": "2", "kind": "visit"})
    assert "服务日期不能早于入列日期" in response.content.decode()


def test_staffing_list_holds_one_row_per_unmet_rule_of_the_units_stations(world, client_as, person):
    """The list behind "人员配备未达标项": the figure's number of rows, each naming the station and the rule."""
    from stations.figures import FIGURES, Period

    client = client_as(world.user("county"))
    body = client.get(reverse("volunteers:staffing-list"), {"org": world.a.county.pk}).content.decode()
    expected = FIGURES["volunteers.staffing_failures"].total_for(station_ids=[world.a.station.pk], period=Period(2025))
    assert expected > 0
    assert f'data-total="{expected}"' in body
    assert body.count('data-testid="staffing-row"') == expected
    assert "未配备站长" in body and world.a.station.name in body
    assert world.b.station.name not in body  # another county: not in scope
    foreign = client.get(reverse("volunteers:staffing-list"), {"org": world.b.county.pk}).content.decode()
    assert 'data-testid="staffing-row"' not in foreign and "所选单位不存在或不在您的管辖范围内" in foreign


def test_staffing_figure_skips_stations_that_are_not_active(world):
    from stations.figures import FIGURES, Period

    fig = FIGURES["volunteers.staffing_failures"]
    assert fig.for_stations(station_ids=[world.a.station.pk], period=Period(2025))[world.a.station.pk] > 0
    world.a.station.status = "merged"
    world.a.station.save(update_fields=["status"])
    assert fig.for_stations(station_ids=[world.a.station.pk], period=Period(2025))[world.a.station.pk] == 0


def test_the_profile_names_the_roster_head_after_every_roster_write(world, client_as, person):
    """Making a member 站长 on the roster names them on the station page; their leaving clears it."""
    from volunteers.models import Volunteer

    client = client_as(world.user("head"))
    edit = client.get(reverse("volunteers:volunteer-edit", args=[person.pk]))
    form = edit.context["form"]
    post = {name: form[name].value() or "" for name in form.fields}
    post.update(position="head", version=person.version, roles=["mediator"])
    response = client.post(reverse("volunteers:volunteer-edit", args=[person.pk]), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("stations:workstation-detail", args=[world.a.station.pk])).content.decode()
    assert "<th>站长（教导员）</th><td>王守法</td>" in page
    person = Volunteer.objects.get(pk=person.pk)
    client.post(
        reverse("volunteers:volunteer-leave", args=[person.pk]), {"left_on": "2025-06-30", "reason": "年事已高"}
    )
    page = client.get(reverse("stations:workstation-detail", args=[world.a.station.pk])).content.decode()
    assert "<th>站长（教导员）</th><td>—</td>" in page


@pytest.mark.parametrize("stations", [13, 125])
def test_staffing_list_query_count_is_pinned(world, client_as, django_assert_max_num_queries, stations):
    """Four unmet rules per empty station: 52 and 500 rows, the same queries."""
    WorkstationFactory.create_batch(stations, county=world.a.county)
    client = client_as(world.user("county"))
    client.get(reverse("volunteers:staffing-list"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("volunteers:staffing-list"), {"page": 2})
    body = response.content.decode()
    assert body.count('data-testid="staffing-row"') == 25
    assert f"涉及 {stations + 1} 个工作站" in body  # the empty ones and the world's own station
