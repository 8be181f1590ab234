"""A station user imports a real-looking roster of 40: sees the row errors, fixes them, confirms, and
finds the volunteers listed with their roles and the station's staffing check."""

import io

import pytest
from openpyxl import load_workbook

from volunteers.models import Volunteer
from volunteers.tests.test_import import person_id, row, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def roster(station, *, broken: bool) -> bytes:
    rows = []
    for n in range(1, 41):
        overrides = {"站内角色": "法治宣讲员、矛盾调解员" if n % 2 else "治安监督员"}
        if n == 1:
            overrides.update(站内职务="站长", 人员类型="社区民警", 五老类别="")
        elif n == 2:
            overrides["站内职务"] = "副站长"
        elif n > 5:
            overrides.update(人员类型="网格员" if n % 3 else "辅警", 五老类别="老教师" if n % 4 == 0 else "")
        rows.append(row(station, n, **overrides))
    if broken:
        bad_id = person_id(7)
        rows[6][3] = bad_id[:-1] + ("1" if bad_id[-1] != "1" else "2")  # row 8: checksum
        rows[11][15] = "2024年13月1日"  # row 13: bad date
        rows[20][0] = "XX9999"  # row 22: unknown station
    return xlsx(rows)


def test_station_user_fixes_errors_and_imports_forty_volunteers(world, page, login, tmp_path):
    station = world.a.station
    login(world.user("staff"))
    page.goto("/volunteers/")
    page.get_by_role("link", name="Excel 导入").click()

    with page.expect_download() as download_info:
        page.click("[data-testid=template]")
    template = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    assert "填写说明" in template.sheetnames

    broken = tmp_path / "志愿者名册.xlsx"
    broken.write_bytes(roster(station, broken=True))
    page.set_input_files("input[type=file]", str(broken))
    page.get_by_role("button", name="上传并预览").click()
    errors = page.locator("[data-testid=import-errors] tbody tr")
    assert errors.count() == 3
    text = page.locator("[data-testid=import-errors]").inner_text()
    assert "校验位错误" in text and "日期格式不正确" in text and "工作站编号不存在" in text
    assert "整个文件未导入" in page.content()
    assert page.locator("[data-testid=confirm-import]").count() == 0
    assert Volunteer.objects.count() == 0

    fixed = tmp_path / "志愿者名册-改.xlsx"
    fixed.write_bytes(roster(station, broken=False))
    page.set_input_files("input[type=file]", str(fixed))
    page.get_by_role("button", name="上传并预览").click()
    assert "新增 40 人" in page.locator("[data-testid=import-summary]").inner_text()
    page.click("[data-testid=confirm-import]")
    page.wait_for_load_state("networkidle")
    assert "导入完成：新增 40 人" in page.content()
    assert Volunteer.objects.filter(workstation=station).count() == 40

    page.goto(f"/volunteers/?workstation={station.pk}")
    assert "共 40 条" in page.locator("[data-testid=count]").inner_text()
    first = page.locator("[data-testid=volunteer-row]").first.inner_text()
    assert "法治宣讲员" in first or "治安监督员" in first
    staffing = page.locator("[data-testid=staffing-check]").inner_text()
    assert "人员配备符合要求" in staffing
