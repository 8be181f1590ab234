"""Issue 16 §1: a station's youth files, as kept in Excel, open through the intake form — station users
only, identities never echoed in the report, IDs hashed and masked as the model does, all or none."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from mentoring.models import Youth
from mentoring.tests.factories import YouthFactory
from stations import idnumbers
from stations.models import AuditEntry
from tests.test_id_input import NUMERIC_ID

HEADER = ("序号", "姓名", "公民身份号码", "对象类别", "就学情况", "线索来源", "建档日期", "风险等级", "监护人", "关系")


def minor_id(n, born=date(2010, 3, 4)):
    return idnumbers.make("230102", born, n * 2 + 1)


def files(rows, *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["帮教对象花名册（内部资料 注意保密）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
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


def good_rows():
    return [
        [1, "测试甲", minor_id(1), "不良行为、留守", "初中在读", "学校转介", "2024.9.1", "中", "测家长甲", "父亲"],
        [None] * 10,
        [2, "测试乙", minor_id(2), "闲散", "辍学", "社区/网格", "2024年9月3日", "高", None, None],
        ["合计", "2人", None, None, None, None, None, None, None, None],
    ]


def upload(client, data):
    return client.post(reverse("mentoring:youth-import"), {"file": SimpleUploadedFile("对象.xlsx", data)})


def confirm(client, response):
    return client.post(reverse("mentoring:youth-import-confirm"), {"token": response.context["token"]})


@pytest.fixture
def staff(world, client_as):
    return client_as(world.user("staff"))


def test_a_station_opens_its_files_from_a_sheet_with_ids_hashed_and_stages_recorded(world, staff):
    response = upload(staff, files(good_rows()))
    page = response.content.decode()
    assert response.context["plan"].is_valid, response.context["plan"].errors
    assert minor_id(1) not in page and "230102********" + minor_id(1)[-4:] in page  # masked in the preview
    assert not Youth.objects.exists()
    confirm(staff, response)
    first = Youth.objects.get(name="测试甲")
    assert first.workstation == world.a.station and first.id_hash == idnumbers.lookup_hash(minor_id(1))
    assert (first.birth_date, first.gender, first.risk_level) == (date(2010, 3, 4), "male", "medium")
    assert first.intake_on == date(2024, 9, 1) and first.risk_assessed_on == date(2024, 9, 1)
    assert set(first.categories.strip(",").split(",")) == {"misconduct", "left_behind"}
    assert first.guardians.get().name == "测家长甲" and first.stage == "intake"
    assert AuditEntry.objects.filter(action="youth.intake").count() == 2
    assert AuditEntry.objects.get(action="youth.import").changes["created"] == 2


def test_bad_rows_are_reported_without_echoing_a_minors_identity_and_nothing_is_written(world, staff):
    rows = good_rows()
    rows[0][2] = float(minor_id(1))  # row 3: the ID as a number
    rows[2][2] = minor_id(2)[:-1] + ("1" if minor_id(2)[-1] != "1" else "2")  # row 5: checksum
    rows[2][7] = "很高"  # row 5: not a risk level
    response = upload(staff, files(rows))
    errors = {(e.row, e.letter): e for e in response.context["plan"].errors}
    assert errors[(3, "C")].message == NUMERIC_ID
    assert "校验位错误" in errors[(5, "C")].message and errors[(5, "C")].value == ""
    assert "不是可选的值" in errors[(5, "H")].message
    page = response.content.decode()
    assert str(int(float(minor_id(1)))) not in page and minor_id(2)[:-1] not in page
    assert "token" not in response.context and not Youth.objects.exists()


def test_a_file_already_open_here_is_an_error_and_one_elsewhere_a_warning(world, staff):
    confirm(staff, upload(staff, files(good_rows()[:1])))
    YouthFactory(workstation=world.b.station, id_number=minor_id(2), id_hash=idnumbers.lookup_hash(minor_id(2)))
    response = upload(staff, files(good_rows()))
    [error] = response.context["plan"].errors
    assert (error.row, error.message) == (3, "本站已有此人的帮教档案（可能已导入过）")
    rows = good_rows()[2:]
    response = upload(staff, files(rows))
    assert response.context["plan"].is_valid
    assert "有 1 人的身份证号在本省已有帮教记录" in response.content.decode()
    assert world.b.station.name not in response.content.decode()


@pytest.mark.parametrize("role", ["county", "city", "prov"])
def test_only_station_users_import_youth(world, client_as, role):
    response = upload(client_as(world.user(role)), files(good_rows()))
    assert response.status_code == 403 and not Youth.objects.exists()
