"""Issue 16 §1: a station's activity ledger as it keeps it in Excel imports through the entry form and
`activity_create` — every row or none, with a row and column report."""

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from activities.models import Activity
from activities.tests.factories import volunteer
from conftest import make_users
from stations.models import AuditEntry, ImportMapping, PeriodLock
from volunteers.models import ServiceLog

HEADER = ("序号", "活动主题", "活动类别", "开展时间", "地点", "参加五老", "参加人数", "青少年人数", "宣讲人", "备注")


def ledger(rows, *, header=HEADER) -> bytes:
    """The ledger with a merged title, a unit line, blank rows as people leave them and a 合计 row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2024年活动台账"
    sheet.append(["××派出所关爱工作站 2024 年活动开展情况登记表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([])
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data, name="活动台账.xlsx"):
    return client.post(reverse("activities:import"), {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    return client.post(reverse("activities:import-confirm"), {"token": response.context["token"]})


@pytest.fixture
def staff(world, client_as):
    return client_as(world.user("staff"))


@pytest.fixture
def people(world):
    return {
        "王老": volunteer(world.a.station, "王老", lecturer=True),
        "李老": volunteer(world.a.station, "李老"),
    }


def good_rows():
    return [
        [1, "法治进校园", "法治宣讲", "2024.3.5", "第一中学", "王老、李老", "１２０", 100, "王老", "讲授防欺凌"],
        [None] * 10,
        [2, "春季理论学习", "理论学习", "2024年3月12日", "派出所会议室", "李老", 12, 0, None, None],
        [3, "护学岗", "夜巡/护学", 45366, "校门口", "王老", 6, 0, None, None],  # 2024-03-15 as a serial
        [4, "走访慰问困难家庭", "走访慰问", datetime(2024, 3, 20), "辖区", None, 4, 2, None, None],
        ["合计", None, None, None, None, None, 142, 102, None, None],
    ]


def test_a_station_ledger_imports_every_activity_with_volunteers_and_hours(world, staff, people):
    response = upload(staff, ledger(good_rows()))
    page = response.content.decode()
    assert "表头在第 3 行，读到 4 行数据" in page and "已跳过空行 1 行、合计/小计行 1 行" in page
    selected = {c["header"]: c["selected"] for c in response.context["columns"]}
    assert (
        selected["活动主题"] == "title" and selected["开展时间"] == "held_on" and selected["参加五老"] == "volunteers"
    )
    assert selected["参加人数"] == "audience_count" and selected["青少年人数"] == "minors_reached"
    plan = response.context["plan"]
    assert plan.is_valid, plan.errors
    assert "将新增 4 条" in page and not Activity.objects.exists()  # the preview writes nothing
    assert confirm(staff, response).status_code == 302
    lecture = Activity.objects.get(title="法治进校园")
    assert (lecture.held_on, lecture.audience_count, lecture.minors_reached) == (date(2024, 3, 5), 120, 100)
    assert lecture.lecturer == people["王老"] and lecture.summary == "讲授防欺凌"
    assert set(lecture.volunteers.all()) == set(people.values())
    assert Activity.objects.get(title="护学岗").held_on == date(2024, 3, 15)
    assert ServiceLog.objects.filter(volunteer=people["李老"]).count() == 2
    entry = AuditEntry.objects.get(action="activity.import")
    assert entry.changes["created"] == 4 and entry.changes["columns"]["活动主题"] == "title"
    assert AuditEntry.objects.filter(action="activity.create").count() == 4


def test_one_bad_row_reports_row_and_column_and_nothing_is_written(world, staff, people):
    PeriodLock.objects.create(workstation=world.a.station, year=2023, is_locked=True)
    rows = good_rows()
    rows[2][5] = "张老"  # sheet row 6: not a volunteer of the station
    rows[3][2] = "篮球赛"  # row 7: not an activity type
    rows[4][3] = "2023-12-20"  # row 8: a locked year
    rows[0][7] = 500  # row 4: more minors than the audience (the model's rule)
    response = upload(staff, ledger(rows))
    errors = {(e.row, e.letter): e.message for e in response.context["plan"].errors}
    assert "本站在册志愿者中没有“张老”" in errors[(6, "F")]
    assert "篮球赛" in errors[(7, "C")] and "法治教育/法治宣讲" in errors[(7, "C")]
    assert "已提交并锁定" in errors[(8, "D")]
    assert "覆盖未成年人" in errors[(4, "H")]
    assert "token" not in response.context and "整个文件未导入" in response.content.decode()
    assert not Activity.objects.exists() and not AuditEntry.objects.filter(action="activity.create").exists()


def test_the_same_ledger_imported_twice_records_nothing_twice(world, staff, people):
    data = ledger(good_rows())
    confirm(staff, upload(staff, data))
    again = upload(staff, data)
    assert "此前已导入过" in again.content.decode()
    messages = {e.message for e in again.context["plan"].errors}
    assert messages == {"本站已登记同一天、同类型、同名称的活动（可能已导入过）"}
    assert Activity.objects.count() == 4


def test_the_mapping_step_takes_an_unknown_header_and_remembers_it(world, staff, people, client_as):
    header = (
        "序号",
        "活动主题",
        "活动类别",
        "开展时间",
        "地点",
        "参加五老",
        "到场人数",
        "青少年人数",
        "宣讲人",
        "备注",
    )
    response = upload(staff, ledger(good_rows(), header=header))
    mapping = {f"col-{c['position']}": c["selected"] for c in response.context["columns"]}
    assert mapping["col-6"] == ""
    mapping.update({"col-6": "audience_count", "step": "map", "token": response.context["sheet_token"]})
    response = staff.post(reverse("activities:import"), mapping)
    assert response.context["plan"].is_valid, response.context["plan"].errors
    confirm(staff, response)
    assert Activity.objects.get(title="法治进校园").audience_count == 120
    assert ImportMapping.objects.get(workstation=world.a.station, kind="activities").columns["到场人数"] == (
        "audience_count"
    )
    make_users(world.b)
    other = upload(client_as(world.b.users["staff"]), ledger(good_rows(), header=header))
    assert {c["header"]: c["selected"] for c in other.context["columns"]}["到场人数"] == ""


def test_a_missing_required_column_is_asked_for_before_any_check(world, staff, people):
    header = ("序号", "活动主题", "开展时间", "地点")
    response = upload(staff, ledger([[1, "法治进校园", "2024.3.5", "第一中学"]], header=header))
    assert "表头缺少必填列：活动类型" in response.content.decode() and "plan" not in response.context


def test_supervisors_may_not_import_activities(world, client_as):
    response = upload(client_as(world.user("county")), ledger(good_rows()))
    assert response.status_code == 403 and not Activity.objects.exists()
