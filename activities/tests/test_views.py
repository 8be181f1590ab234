"""Pages: list, calendar, quick entry, detail, attachments, station panel, Excel export, figures."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Activity
from activities.tests.factories import activity, activity_type, volunteer
from stations.figures import Period, get_figure
from stations.models import AuditEntry
from stations.tests.factories import WorkstationFactory
from stations.tests.test_uploads import png_bytes
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def form_data(**extra):
    data = {
        "type": activity_type("legal_lecture").pk,
        "title": "法治进校园讲座",
        "held_on": timezone.localdate().isoformat(),
        "hours": "2",
        "audience_count": "300",
        "audience_kind": "pupils",
        "police_count": "1",
        "teacher_count": "2",
        "parent_count": "0",
        "minors_reached": "300",
        "people_helped": "0",
        "amount_yuan": "0",
        "school": "新阳路小学",
        "vice_principal_name": "副校长钱某",
    }
    return data | extra


def test_quick_entry_defaults_and_save(world, client_as):
    client = client_as(world.user("staff"))
    v1 = volunteer(world.a.station, "宣讲员老李", lecturer=True)
    volunteer(world.b.station, "外站志愿者")
    page = client.get("/activities/new/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert "宣讲员老李" in page and "外站志愿者" not in page
    response = client.post("/activities/new/", form_data(volunteers=[v1.pk], lecturer=v1.pk, vice_principal_name=""))
    record = Activity.objects.get()
    assert response.status_code == 302
    assert record.workstation == world.a.station
    assert list(record.volunteers.all()) == [v1]
    detail = client.get(response["Location"]).content.decode()
    assert "法治进校园讲座" in detail and "宣讲员老李" in detail


def test_foreign_volunteer_id_is_a_field_error(world, client_as):
    foreign = volunteer(world.b.station)
    response = client_as(world.user("staff")).post("/activities/new/", form_data(volunteers=[foreign.pk]))
    assert response.status_code == 200
    assert 'data-field="volunteers"' in response.content.decode()
    assert not Activity.objects.exists()


def test_county_cannot_open_the_entry_form(world, client_as):
    assert client_as(world.user("county")).get("/activities/new/").status_code == 403


def test_list_scope_joint_visibility_filters_and_count(world, client_as):
    sibling = WorkstationFactory(county=world.a.county, name="兄弟站")
    activity(world.a.station, "legal_lecture", title="本站宣讲")
    activity(sibling, "joint_meeting", title="县联席会议", joint=[world.a.station])
    activity(sibling, "training", title="兄弟站培训")
    activity(world.z.station, "training", title="外省培训")
    staff_page = client_as(world.user("staff")).get("/activities/").content.decode()
    assert "本站宣讲" in staff_page and "县联席会议" in staff_page
    assert "兄弟站培训" not in staff_page and "外省培训" not in staff_page
    assert "共 2 条" in staff_page
    county = client_as(world.user("county"))
    county_page = county.get("/activities/").content.decode()
    assert "共 3 条" in county_page and "外省培训" not in county_page
    filtered = county.get("/activities/", {"system": "joint_meeting"}).content.decode()
    assert "共 1 条" in filtered and "县联席会议" in filtered
    by_station = county.get("/activities/", {"workstation": world.a.station.pk}).content.decode()
    assert "共 2 条" in by_station  # its own and the joint one
    by_unit = county.get("/activities/", {"org": world.a.county.pk}).content.decode()
    assert "共 3 条" in by_unit  # the joint activity of two of its stations once
    assert by_unit.count('data-testid="activity-row"') == 3
    sessions = by_unit.split('data-testid="list-totals"', 1)[1].split('class="fs-5">', 1)[1].split("<", 1)[0]
    assert sessions == "3"
    searched = county.get("/activities/", {"q": "培训", "period": "2025"}).content.decode()
    assert "共 1 条" in searched


def test_participant_reads_joint_activity_but_cannot_edit(world, client_as):
    sibling = WorkstationFactory(county=world.a.county)
    joint = activity(sibling, "joint_meeting", title="县联席会议", joint=[world.a.station])
    client = client_as(world.user("staff"))
    page = client.get(f"/activities/{joint.pk}/").content.decode()
    assert "县联席会议" in page and "编辑" not in page.split("县联席会议", 2)[1][:300]
    assert client.get(f"/activities/{joint.pk}/edit/").status_code == 404


@pytest.mark.parametrize("rows", [5, 60])
def test_list_query_count_is_pinned(world, client_as, django_assert_max_num_queries, rows):
    station = world.a.station
    people = [volunteer(station) for _ in range(3)]
    for index in range(rows):
        activity(station, held_on=date(2025, 1 + index % 12, 1 + index % 28), volunteers=people, audience_count=index)
    client = client_as(world.user("county"))
    # the county's totals are kept between requests; inside the test's transaction, which wrote the rows,
    # the snapshot is built in the request (read your own writes): its builder's queries are counted here
    with django_assert_max_num_queries(15):
        response = client.get("/activities/")
    assert response.content.count(b'data-testid="activity-row"') == min(rows, 25)
    staff_client = client_as(world.user("staff"))
    with django_assert_max_num_queries(13):  # station staff: totals in the request
        staff = staff_client.get("/activities/")
    assert staff.content.count(b'data-testid="activity-row"') == min(rows, 25)


@pytest.mark.parametrize("sorted_below", [0, 3000], ids=["walked in date order", "sorted after finding"])
def test_list_is_newest_first_however_it_is_planned(world, client_as, monkeypatch, sorted_below):
    """A small list is sorted after its rows are found, a large one walked in date order: the same rows in
    the same order either way (newest day first, the later entry first within a day), page after page."""
    from activities import selectors

    monkeypatch.setattr(selectors, "SORTED_BELOW", sorted_below)
    station = world.a.station
    days = [date(2025, 5, 2), date(2025, 1, 9), date(2025, 5, 2), date(2024, 12, 31), date(2025, 3, 1)] * 6
    made = [activity(station, held_on=day, title=f"活动{index:02d}") for index, day in enumerate(days)]
    expected = [a.title for a in sorted(made, key=lambda a: (a.held_on, a.pk), reverse=True)]
    client = client_as(world.user("staff"))
    shown = []
    for number in (1, 2):
        page = client.get("/activities/", {"page": number}).content.decode()
        shown += [row.split("</a>", 1)[0].rsplit(">", 1)[1] for row in page.split('data-testid="activity-row"')[1:]]
    assert shown == expected


def test_list_shows_totals_and_coverage_for_the_county(world, client_as):
    station, sibling = world.a.station, WorkstationFactory(county=world.a.county, name="兄弟站")
    v1, v2 = volunteer(station), volunteer(station)
    for code in ["theory_study", "training", "joint_meeting", "legal_lecture", "mentoring_group", "relief"]:
        activity(station, code, volunteers=[v1, v2] if code == "legal_lecture" else [v1], audience_count=10)
    activity(sibling, "training", joint=[station], audience_count=5)
    page = client_as(world.user("county")).get("/activities/", {"period": "2025"}).content.decode()
    totals = page.split('data-testid="list-totals"', 1)[1].split('data-testid="coverage"', 1)[0]
    assert [part.split("<", 1)[0] for part in totals.split('class="fs-5">')[1:]] == ["7", "7", "2", "65", "0", "0 元"]
    coverage = page.split('data-testid="coverage"', 1)[1].split("</div>", 1)[0]
    assert "1 / 2 个已建工作站" in coverage and "50.0%" in coverage
    assert "兄弟站：缺理论学习、联席会议、法治教育、结对帮教、扶贫济困" in coverage


def test_calendar_shows_the_month(world, client_as):
    activity(world.a.station, title="三月宣讲", held_on=date(2025, 3, 14))
    activity(world.a.station, title="四月宣讲", held_on=date(2025, 4, 2))
    page = client_as(world.user("staff")).get("/activities/calendar/", {"month": "2025-03"}).content.decode()
    assert "三月宣讲" in page and "四月宣讲" not in page and "本月共 1 场" in page


def test_calendar_names_five_activities_a_day_and_counts_the_rest(world, client_as):
    for n in range(7):
        activity(world.a.station, title=f"护学岗{n}", held_on=date(2025, 3, 14))
    page = client_as(world.user("county")).get("/activities/calendar/", {"month": "2025-03"}).content.decode()
    assert page.count('data-testid="calendar-item"') == 5
    assert "护学岗0" in page and "护学岗6" not in page
    assert "另有 2 项" in page and "本月共 7 场" in page


def test_upload_view_refuses_exe_named_jpg_with_chinese_message(world, client_as):
    record = activity(world.a.station)
    client = client_as(world.user("staff"))
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 300, content_type="image/jpeg")
    response = client.post(f"/activities/{record.pk}/attachments/", {"kind": "photo", "file": fake}, follow=True)
    assert "附件未上传：不是有效的图片文件" in response.content.decode()
    assert not record.attachments.exists()


def test_download_is_an_audited_attachment(world, client_as):
    record = activity(world.a.station)
    client = client_as(world.user("staff"))
    photo = SimpleUploadedFile("合影.png", png_bytes(), content_type="image/png")
    client.post(f"/activities/{record.pk}/attachments/", {"kind": "photo", "file": photo})
    item = record.attachments.get()
    response = client.get(f"/activities/attachments/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert AuditEntry.objects.filter(action="file.download").exists()
    assert client_as(world.user("city")).get(f"/activities/attachments/{item.pk}/").status_code == 200


def test_station_panel_shows_this_years_counts(world, client_as):
    station = world.a.station
    v1, v2 = volunteer(station), volunteer(station)
    today = timezone.localdate()
    activity(station, "legal_lecture", held_on=today, audience_count=300, volunteers=[v1, v2])
    activity(station, "legal_lecture", held_on=today, audience_count=250, volunteers=[v1])
    page = client_as(world.user("staff")).get(f"/stations/{station.pk}/").content.decode()
    panel = page.split('data-testid="panel-legal_education"', 1)[1].split("</tr>", 1)[0]
    assert [cell.split("<", 1)[0] for cell in panel.split('class="text-end">')[1:]] == ["2", "3", "2", "550"]


def test_export_lists_scope_and_period(world, client_as):
    activity(world.a.station, "relief", title="助学捐款", amount_yuan=Decimal("1540.00"), people_helped=1)
    activity(world.a.station, "training", title="去年培训", held_on=date(2024, 6, 1))
    activity(world.z.station, "training", title="外省培训")
    response = client_as(world.user("county")).get("/exports/activity-list/", {"period": "2025"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["活动台账"].iter_rows(values_only=True))
    assert rows[0][0] == "日期"
    assert [row[4] for row in rows[1:]] == ["助学捐款"]
    assert rows[1][-1] == 1540


def test_figures_county_total_is_not_the_sum_of_stations(world):
    county = world.a.county
    a, b = world.a.station, WorkstationFactory(county=county)
    activity(a, "joint_meeting", joint=[b], audience_count=40)
    activity(b, "legal_lecture", audience_count=100)
    sessions = get_figure("activities.sessions")
    period = Period(2025)
    per_station = sessions.for_stations(station_ids=[a.pk, b.pk], period=period)
    assert per_station == {a.pk: 1, b.pk: 2}
    assert sessions.total_for(station_ids=[a.pk, b.pk], period=period) == 2
    assert not sessions.additive
    meeting = get_figure("activities.sessions_joint_meeting")
    assert meeting.for_stations(station_ids=[a.pk, b.pk], period=period) == {a.pk: 1, b.pk: 1}
    assert meeting.total_for(station_ids=[a.pk, b.pk], period=period) == 1
    lectures = get_figure("activities.legal_audience")
    assert lectures.for_stations(station_ids=[a.pk, b.pk], period=period) == {a.pk: 0, b.pk: 100}
    assert get_figure("activities.audience").total_for(station_ids=[a.pk, b.pk], period=period) == 140
    assert get_figure("activities.systems_active").for_stations(station_ids=[a.pk, b.pk], period=period) == {
        a.pk: 1,
        b.pk: 2,
    }


def test_every_contract_key_is_registered():
    keys = [
        "activities.sessions",
        *(f"activities.sessions_{s}" for s in ["theory_study", "training", "joint_meeting", "legal_education"]),
        "activities.sessions_mentoring",
        "activities.sessions_relief",
        "activities.attendances",
        "activities.audience",
        "activities.legal_lectures",
        "activities.legal_audience",
        "activities.minors_reached",
        "activities.donation_yuan",
        "activities.systems_active",
    ]
    sums = {"attendances", "audience", "legal_audience", "minors_reached", "donation_yuan", "systems_active"}
    for key in keys:
        # counts of sessions open the activity list; sums open no list (a list counts rows)
        expected = "" if key.removeprefix("activities.") in sums else "activities:activity-list"
        assert get_figure(key).link == expected, key


def test_attendances_figure_adds_volunteers_and_other_participants(world):
    station = world.a.station
    v1, v2 = volunteer(station), volunteer(station)
    activity(station, volunteers=[v1, v2], police_count=2, teacher_count=1, audience_count=500)
    attendances = get_figure("activities.attendances")
    assert attendances.for_stations(station_ids=[station.pk], period=Period(2025)) == {station.pk: 5}
    donation = get_figure("activities.donation_yuan")
    activity(station, "relief", amount_yuan=Decimal("100.50"))
    assert donation.total_for(station_ids=[station.pk], period=Period(2025)) == Decimal("100.50")


def test_stats_page_counts_joint_activities_once_in_the_total(world, client_as, django_assert_max_num_queries):
    station, sibling = world.a.station, WorkstationFactory(county=world.a.county, name="兄弟站")
    lecturer = volunteer(station, "宣讲老赵", lecturer=True)
    activity(station, "legal_lecture", lecturer=lecturer, audience_count=300, volunteers=[lecturer])
    activity(sibling, "joint_meeting", joint=[station], audience_count=40)
    activity(sibling, "relief", amount_yuan=Decimal("1540.00"), people_helped=1)
    client = client_as(world.user("county"))
    with django_assert_max_num_queries(26):
        page = client.get("/activities/stats/", {"period": "2025"}).content.decode()
    totals = page.split('data-testid="stats-totals"', 1)[1].split('data-testid="coverage"', 1)[0]
    assert [part.split("<", 1)[0] for part in totals.split('class="fs-5">')[1:]] == [
        "3",
        "1",
        "1",
        "340",
        "1,540 元",
        "1",
    ]
    assert "各站场次之和为 4，合计为 3" in page
    assert "宣讲老赵" in page and "甲县" in page
    staff_page = client_as(world.user("staff")).get("/activities/stats/", {"period": "2025"}).content.decode()
    assert "兄弟站" not in staff_page.split('data-testid="by-station"', 1)[1]


def test_copy_from_last_prefills_the_form_and_saves_a_new_activity(world, client_as):
    station = world.a.station
    v1 = volunteer(station, "护学老周")
    source = activity(station, "patrol", title="护学岗值守", place="新阳路小学门口", volunteers=[v1])
    client = client_as(world.user("staff"))
    new_form = client.get("/activities/new/").content.decode()
    assert f"/activities/{source.pk}/copy/" in new_form
    page = client.get(f"/activities/{source.pk}/copy/").content.decode()
    assert 'value="护学岗值守"' in page and 'value="新阳路小学门口"' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page
    data = form_data(type=activity_type("patrol").pk, title="护学岗值守", volunteers=[v1.pk], school="")
    response = client.post(f"/activities/{source.pk}/copy/", data)
    assert response.status_code == 302
    assert Activity.objects.filter(title="护学岗值守").count() == 2


def test_copy_from_last_offers_the_latest_of_each_type_however_long_ago(world, client_as):
    """One shortcut per type the station has held: its latest (the later entry on the same day), even when
    hundreds of other activities came after it; never an archived one or another station's."""
    station = world.a.station
    long_ago = activity(station, "relief", held_on=date(2023, 6, 1), title="早年爱心助学")
    for index in range(210):
        activity(station, "patrol", held_on=date(2025, 1, 1) + timedelta(days=index % 300), title=f"护学岗{index}")
    latest_patrol = activity(station, "patrol", held_on=date(2025, 10, 27), title="护学岗最新")
    archived = activity(station, "relief", held_on=date(2025, 12, 1), title="作废的助学", is_archived=True)
    elsewhere = activity(world.b.station, "training", held_on=date(2025, 12, 1), title="外站培训")
    page = client_as(world.user("staff")).get("/activities/new/").content.decode()
    offered = [int(pk) for pk in re.findall(r'href="/activities/(\d+)/copy/"', page)]
    expected = sorted([latest_patrol, long_ago], key=lambda a: (a.type.order, a.type_id))
    assert offered == [a.pk for a in expected]
    assert archived.pk not in offered and elsewhere.pk not in offered


def test_archive_needs_a_reason_and_leaves_the_counts(world, client_as):
    record = activity(world.a.station, audience_count=50)
    client = client_as(world.user("staff"))
    client.post(f"/activities/{record.pk}/archive/", {"reason": ""})
    record.refresh_from_db()
    assert not record.is_archived
    response = client.post(f"/activities/{record.pk}/archive/", {"reason": "重复录入"}, follow=True)
    assert "活动已作废" in response.content.decode()
    assert "共 0 条" in client.get("/activities/").content.decode()


def test_activity_types_are_extended_in_the_admin_by_the_system_administrator(world, client_as):
    client = client_as(world.user("sys"))
    assert "法治教育/法治宣讲" in client.get("/admin/activities/activitytype/").content.decode()
    response = client.post(
        "/admin/activities/activitytype/add/",
        {
            "code": "open_day",
            "name": "警营开放日",
            "system": "other",
            "form_kind": "general",
            "service_kind": "other",
            "order": "200",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert activity_type("open_day").name == "警营开放日"
    staff = client_as(world.user("staff"))
    response = staff.get("/admin/activities/activitytype/")  # the admin sends others to its own sign-in page
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_list_accepts_the_figure_link_filters(world, client_as):
    activity(world.a.station, title="甲县活动", held_on=date(2025, 2, 1))
    activity(world.a.station, title="下半年活动", held_on=date(2025, 8, 1))
    activity(world.b.station, title="乙县活动", held_on=date(2025, 2, 1))
    client = client_as(world.user("prov"))
    page = client.get("/activities/", {"org": world.a.county.pk, "period": "2025H1"}).content.decode()
    assert "甲县活动" in page and "乙县活动" not in page and "下半年活动" not in page
    bad = client.get("/activities/", {"period": "2025H3"}).content.decode()
    assert "期间格式不正确" in bad


def test_locked_year_refuses_edit_with_the_message_next_to_the_date(world, client_as):
    from stations.models import PeriodLock

    record = activity(world.a.station, "theory_study", title="原标题", held_on=date(2025, 3, 1))
    PeriodLock.objects.create(workstation=world.a.station, year=2025, is_locked=True)
    data = form_data(type=activity_type("theory_study").pk, title="改后标题", held_on="2025-03-01", version="1")
    response = client_as(world.user("staff")).post(f"/activities/{record.pk}/edit/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="held_on">2025 年度台账已提交并锁定，不能再修改该年度的记录' in page
    record.refresh_from_db()
    assert record.title == "原标题"


def test_editing_keeps_a_volunteer_who_has_left_since(world, client_as):
    station = world.a.station
    stays, leaves = volunteer(station, "在册志愿者"), volunteer(station, "已退出志愿者")
    record = activity(station, "theory_study", volunteers=[stays, leaves])
    leaves.status = "left"
    leaves.save()
    client = client_as(world.user("staff"))
    page = client.get(f"/activities/{record.pk}/edit/").content.decode()
    assert "已退出志愿者" in page
    data = form_data(
        type=activity_type("theory_study").pk, held_on="2025-03-10", volunteers=[stays.pk, leaves.pk], version="1"
    )
    assert client.post(f"/activities/{record.pk}/edit/", data).status_code == 302
    assert set(record.volunteers.all()) == {stays, leaves}
    other = activity(station, "theory_study", title="另一活动")
    data["version"] = "1"
    response = client.post(f"/activities/{other.pk}/edit/", data)
    assert 'data-field="volunteers"' in response.content.decode()


def test_home_panel_shows_this_years_counts(world, client_as):
    station = world.a.station
    v1 = volunteer(station)
    activity(station, "legal_lecture", held_on=timezone.localdate(), audience_count=120, volunteers=[v1])
    page = client_as(world.user("county")).get("/").content.decode()
    panel = page.split('data-testid="activities-home"', 1)[1]
    assert "1 场 · 志愿者 1 人次 / 1 人 · 受众 120 人次" in panel
    assert "0 / 1 个已建工作站" in panel
    assert "登记活动" not in panel
    assert "登记活动" in client_as(world.user("staff")).get("/").content.decode()
    assert 'data-testid="activities-home"' not in client_as(world.user("audit")).get("/").content.decode()


def test_a_countys_home_panel_keeps_the_years_list_figures_with_their_time(world, client_as):
    """A county with several stations: the panel shows the figures of the year's activity list, kept between
    requests with their time (docs/decisions.md), and a new record is counted."""
    station, second = world.a.station, WorkstationFactory(county=world.a.county)
    today = timezone.localdate()
    activity(station, "legal_lecture", held_on=today, audience_count=120, volunteers=[volunteer(station)])
    activity(second, "theory_study", held_on=today, audience_count=30)
    client = client_as(world.user("county"))

    def panel():
        return client.get("/").content.decode().split('data-testid="activities-home"', 1)[1].split("</div>\n</div>")[0]

    listed = client.get("/activities/", {"period": str(today.year)}).content.decode()
    assert "共 2 条" in listed
    assert "2 场 · 志愿者 1 人次 / 1 人 · 受众 150 人次" in panel()
    assert "数据截至" in panel()
    activity(second, "theory_study", held_on=today, audience_count=10)
    assert "3 场 · 志愿者 1 人次 / 1 人 · 受众 160 人次" in panel()
    # one station only: nothing to keep, the station's own figures in the request
    assert "数据截至" not in client_as(world.user("staff")).get("/").content.decode()


def test_stats_page_offers_the_period_filter_and_explains_a_bad_one(world, client_as):
    client = client_as(world.user("county"))
    page = client.get("/activities/stats/", {"period": "2025H1"}).content.decode()
    assert 'name="period"' in page and '<option value="2025H1" selected>' in page
    page = client.get("/activities/stats/", {"period": "2025H3"}).content.decode()
    assert "期间格式不正确" in page


@pytest.mark.parametrize("role", ["county", "prov"])
def test_stats_page_without_a_period_shows_this_year_in_its_drop_down(world, client_as, role):
    """The statistics are always of one period: the drop-down names the one shown and offers no 「全部」."""
    this_year = timezone.localdate().year
    page = client_as(world.user(role)).get("/activities/stats/").content.decode()
    assert f"活动统计 · {this_year}年" in page
    assert f'<option value="{this_year}" selected>' in page
    select = page[page.index('name="period"') :].split("</select>", 1)[0]
    assert "全部" not in select
    page = client_as(world.user(role)).get("/activities/stats/", {"period": ""}).content.decode()
    assert f'<option value="{this_year}" selected>' in page


@pytest.mark.parametrize("role", ["staff", "county", "city", "prov"])
def test_activity_list_export_names_no_person(world, client_as, role):
    """The activity list carries counts only: no participant's or lecturer's name, ID number or phone."""
    station = world.a.station
    helper, speaker = volunteer(station, "参与者真名"), volunteer(station, "宣讲者真名", lecturer=True)
    Volunteer.objects.filter(pk=helper.pk).update(id_number="11010519491231002X", mobile="13812345678")
    activity(station, "legal_lecture", held_on=date(2025, 5, 6), volunteers=[helper, speaker], lecturer=speaker)
    response = client_as(world.user(role)).get("/exports/activity-list/", {"period": "2025"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["活动台账"].iter_rows(values_only=True))
    assert len(rows) == 2
    text = " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)
    for secret in ("参与者真名", "宣讲者真名", "11010519491231002X", "13812345678"):
        assert secret not in text, f"{secret} in the activity list downloaded by {role}"


def test_an_error_in_a_collapsed_section_is_listed_at_the_top_and_its_section_opens(world, client_as):
    response = client_as(world.user("staff")).post("/activities/new/", form_data(people_helped="很多"))
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index('data-testid="error-summary"') : page.index("</div>", page.index("error-summary"))]
    assert page.index('data-testid="error-summary"') < page.index('name="title"')  # above the fields
    assert 'href="#id_people_helped">受助人数</a>' in summary
    section = page[page.rindex("<details", 0, page.index("扶贫济困：受助人数")) : page.index("扶贫济困：受助人数")]
    assert " open>" in section, "the section with the error stays closed"
    assert not Activity.objects.exists()


def test_the_entry_forms_checkboxes_are_djangos_own_html(world):
    """activities/_field.html writes each checkbox inline; the HTML is what `choice.tag` renders, checked
    boxes included."""
    from django.template.loader import render_to_string

    from activities.forms import ActivityForm

    station = world.a.station
    people = [volunteer(station) for _ in range(3)]
    WorkstationFactory(county=world.a.county)
    form = ActivityForm(form_data(volunteers=[people[1].pk]), user=world.user("staff"), workstation=station)
    for name in ("volunteers", "joint_stations"):
        field = form[name]
        html = render_to_string("activities/_field.html", {"field": field})
        tags = [str(choice.tag()) for choice in field]
        assert len(tags) >= 1 and all(tag in html for tag in tags), name
        assert html.count('type="checkbox"') == len(tags)
    assert html.count(" checked") == 0
    assert render_to_string("activities/_field.html", {"field": form["volunteers"]}).count(" checked") == 1
