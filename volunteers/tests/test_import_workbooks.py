"""Issue 16 §1: the volunteer roster as a county or station office really keeps it — title rows, merged
cells, header names that differ from the template, IDs stored as numbers, full-width digits, every date
style, blank, subtotal and total rows — imports, or is refused with a row and column message."""

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import Workbook

from conftest import make_users
from stations.models import AuditEntry, ImportMapping
from volunteers.models import Volunteer
from volunteers.tests.test_import import confirm, person_id, upload

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def roster(rows, *, header=("序号", "名字", "公民身份号码", "联系电话", "人员类别", "加入日期"), title=True, merges=()):
    """A county office's roster: a merged title row and a date line above the header, synonym headers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "五老名册"
    if title:
        sheet.append(["××县公安局××派出所关爱工作站五老志愿者花名册"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        sheet.append(["填报单位：××派出所", None, None, None, "填报日期：2024年3月1日"])
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    for ref in merges:
        sheet.merge_cells(ref)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person(n, joined="2023-05-01", *, id_number=None, mobile=None, kind="退休民警"):
    return [
        n,
        f"老同志{n}",
        id_number if id_number is not None else person_id(n),
        mobile or f"1390451{n:04d}",
        kind,
        joined,
    ]


@pytest.fixture
def staff(world, client_as):
    return client_as(world.user("staff"))


def test_a_county_roster_with_title_rows_and_synonym_headers_imports_into_the_station(world, staff):
    response = upload(staff, roster([person(n) for n in range(1, 6)]), name="花名册.xlsx")
    page = response.content.decode()
    assert "表头在第 3 行，读到 5 行数据" in page
    columns = {c["header"]: c["selected"] for c in response.context["columns"]}
    assert columns == {
        "序号": "",
        "名字": "name",
        "公民身份号码": "id_number",
        "联系电话": "mobile",
        "人员类别": "member_type",
        "加入日期": "joined_on",
    }
    assert response.context["plan"].is_valid, response.context["plan"].errors
    assert "新增 5 人" in page
    confirm(staff, response)
    assert Volunteer.objects.filter(workstation=world.a.station).count() == 5
    assert Volunteer.objects.get(name="老同志1").joined_on == date(2023, 5, 1)


@pytest.mark.parametrize(
    "joined",
    [
        "2023.5.1",
        "2023年5月1日",
        "20230501",
        20230501,
        45047,  # the Excel serial number of 2023-05-01
        "45047",
        datetime(2023, 5, 1),
        "2023/5/1",
        "2023-05-01",
        "２０２３年５月１日",
        "2023 年 5 月 1 日",
    ],
)
def test_every_date_style_offices_type_is_read(world, staff, joined):
    response = upload(staff, roster([person(1, joined)]))
    assert response.context["plan"].is_valid, response.context["plan"].errors
    confirm(staff, response)
    assert Volunteer.objects.get().joined_on == date(2023, 5, 1)


def test_a_date_that_is_not_a_date_is_reported_with_its_sheet_row_and_column(world, staff):
    response = upload(staff, roster([person(1), person(2, "五月一日"), person(3, "2023.2.30")]))
    errors = [(e.row, e.letter, e.column, e.message[:7]) for e in response.context["plan"].errors]
    # rows 1–2 are the title, row 3 the header: the second person stands in sheet row 5, column F
    assert errors == [(5, "F", "加入日期", "日期格式不正确"), (6, "F", "加入日期", "日期格式不正确")]
    assert "F 加入日期" in response.content.decode()
    assert "token" not in response.context and not Volunteer.objects.exists()


def test_full_width_digits_in_ids_phones_and_dates_import(world, staff):
    row = person(1, "２０２３．５．１", id_number=person_id(1).translate(FULL_WIDTH))
    row[3] = "１３９０４５１０００１"
    response = upload(staff, roster([row]))
    assert response.context["plan"].is_valid, response.context["plan"].errors
    confirm(staff, response)
    volunteer = Volunteer.objects.get()
    assert (volunteer.id_number, volunteer.mobile, volunteer.joined_on) == (
        person_id(1),
        "13904510001",
        date(2023, 5, 1),
    )


@pytest.mark.parametrize("cell", [float(person_id(1)), int(person_id(1)), "1.10105E+17", "2.30102E+17"])
def test_an_id_stored_as_a_number_is_refused_with_how_to_fix_and_no_guessed_digits(world, staff, cell):
    response = upload(staff, roster([person(1, id_number=cell), person(2)]))
    [error] = response.context["plan"].errors
    assert (error.row, error.letter, error.column) == (4, "C", "公民身份号码")
    assert "存成了数字" in error.message and "无法还原" in error.message and "文本格式" in error.message
    page = response.content.decode()
    assert str(int(float(person_id(1)))) not in page and person_id(1)[:15] not in page
    assert not Volunteer.objects.exists()


def test_an_id_whose_last_digits_excel_zeroed_says_why_the_check_fails(world, staff):
    zeroed = person_id(1)[:15] + "000"
    response = upload(staff, roster([person(1, id_number=zeroed)]))
    [error] = response.context["plan"].errors
    assert error.letter == "C" and "末尾是 000" in error.message and "不会猜测" in error.message
    assert not Volunteer.objects.exists()


def test_blank_subtotal_and_total_rows_are_skipped_and_counted(world, staff):
    rows = [
        person(1),
        [None] * 6,
        person(2),
        [None, "小计", None, None, None, "2人"],
        [None] * 6,
        person(3),
        ["合计", None, None, None, None, "3人"],
        [None] * 6,
        ["填表人：张三", None, None, "审核人：李四"],
    ]
    response = upload(staff, roster(rows))
    sheet = response.context["sheet"]
    assert [number for number, _values in sheet.rows] == [4, 6, 9]
    assert (sheet.skipped_blank, sheet.skipped_total, sheet.ignored_after_end) == (2, 2, 0)
    assert "已跳过空行 2 行、合计/小计行 2 行" in response.content.decode()
    assert response.context["plan"].is_valid, response.context["plan"].errors
    confirm(staff, response)
    assert Volunteer.objects.count() == 3


def test_rows_below_the_total_line_are_not_read_and_the_user_is_told(world, staff):
    response = upload(staff, roster([person(1), ["合计", None, None, None, None, "1人"], person(2)]))
    assert [number for number, _values in response.context["sheet"].rows] == [4]
    assert "第 5 行是合计行或落款行，其后还有 1 行有内容，没有读取" in response.content.decode()


def test_merged_cells_give_their_value_to_every_row_and_column_they_cover(world, staff):
    """人员类别 merged down a group of rows; a merged group header 联系方式 over 手机号码 and 固定电话."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["五老志愿者花名册"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "姓名", "身份证号码", "联系方式", None, "人员类别", "入列时间"])
    sheet.append([None, None, None, "手机号码", "固定电话", None, None])
    for ref in ("A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:G3"):
        sheet.merge_cells(ref)
    for n in range(1, 4):
        sheet.append(
            [
                n,
                f"老同志{n}",
                person_id(n),
                f"1390451{n:04d}",
                "0451-82345678",
                "退休民警" if n == 1 else None,
                "2023.5.1",
            ]
        )
    sheet.merge_cells("F4:F6")
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(staff, buffer.getvalue())
    columns = {c["letter"]: (c["header"], c["selected"]) for c in response.context["columns"]}
    assert columns["D"] == ("手机号码", "mobile") and columns["E"] == ("固定电话", "")
    assert columns["F"] == ("人员类别", "member_type")
    assert response.context["sheet"].header_row == 3
    assert response.context["plan"].is_valid, response.context["plan"].errors
    confirm(staff, response)
    assert set(Volunteer.objects.values_list("member_type", flat=True)) == {"retired_officer"}
    assert Volunteer.objects.count() == 3


def test_the_header_repeated_on_every_printed_page_is_not_a_data_row(world, staff):
    header = ("序号", "名字", "公民身份号码", "联系电话", "人员类别", "加入日期")
    response = upload(staff, roster([person(1), list(header), person(2)]))
    assert [number for number, _values in response.context["sheet"].rows] == [4, 6]
    assert response.context["plan"].is_valid


def test_a_sheet_without_a_recognisable_header_is_refused_with_a_clear_message(world, staff):
    response = upload(staff, roster([["a", "b"]], header=("甲", "乙", "丙")))
    assert "文件中没有找到志愿者表" in response.content.decode()
    assert "plan" not in response.context and "sheet" not in response.context


def test_the_mapping_step_asks_for_a_missing_required_column_and_checks_again(world, staff):
    header = ("序号", "老同志姓名", "公民身份号码", "联系电话", "人员类别", "加入日期")
    response = upload(staff, roster([person(1), person(2)], header=header))
    assert "plan" not in response.context and "token" not in response.context
    assert "表头缺少必填列：姓名" in response.content.decode()
    preview = response.context["preview_rows"]
    assert [r["number"] for r in preview] == [4, 5]
    shown = [cell["value"] for cell in preview[0]["cells"]]
    assert "230102********" + person_id(1)[-4:] in shown  # the ID as it will be read, masked
    assert "退休民警" in shown and "2023-05-01" in shown

    mapping = {f"col-{c['position']}": c["selected"] for c in response.context["columns"]}
    mapping.update({"col-1": "name", "step": "map", "token": response.context["sheet_token"]})
    response = staff.post(reverse("volunteers:import"), mapping)
    assert response.context["plan"].is_valid and "新增 2 人" in response.content.decode()
    confirm(staff, response)
    assert sorted(Volunteer.objects.values_list("name", flat=True)) == ["老同志1", "老同志2"]
    entry = AuditEntry.objects.get(action="volunteer.import")
    assert entry.changes["columns"]["老同志姓名"] == "name" and entry.changes["header_row"] == 3


def test_the_confirmed_mapping_is_remembered_for_the_station_only(world, staff, client_as):
    header = ("序号", "老同志姓名", "公民身份号码", "备用电话", "人员类别", "加入日期")
    response = upload(staff, roster([person(1)], header=header))
    mapping = {f"col-{c['position']}": c["selected"] for c in response.context["columns"]}
    mapping.update({"col-1": "name", "step": "map", "token": response.context["sheet_token"]})
    confirm(staff, staff.post(reverse("volunteers:import"), mapping))
    remembered = ImportMapping.objects.get(workstation=world.a.station, kind="volunteers")
    assert remembered.columns["老同志姓名"] == "name" and remembered.columns["备用电话"] == ""

    again = upload(staff, roster([person(2)], header=header))
    assert again.context["plan"].is_valid, again.context.get("mapping_problems")

    make_users(world.b)
    other = client_as(world.b.users["staff"])
    elsewhere = upload(other, roster([person(3)], header=header))
    assert "plan" not in elsewhere.context and "表头缺少必填列：姓名" in elsewhere.content.decode()


def test_a_field_chosen_for_two_columns_is_a_mapping_problem(world, staff):
    response = upload(staff, roster([person(1)]))
    mapping = {f"col-{c['position']}": c["selected"] for c in response.context["columns"]}
    mapping.update({"col-0": "name", "step": "map", "token": response.context["sheet_token"]})
    response = staff.post(reverse("volunteers:import"), mapping)
    assert "“姓名”对应了多列" in response.content.decode()
    assert "plan" not in response.context


def test_a_mapping_posted_with_a_foreign_token_is_refused(world, staff):
    response = staff.post(reverse("volunteers:import"), {"step": "map", "token": "forged", "col-1": "name"})
    assert response.status_code == 302
