"""A station user imports a county-style roster whose name column the system does not know: maps it in the
mapping step, sees the first rows as they will be read, confirms, and the next file is mapped by itself."""

import pytest

from tests.e2e.test_axe import AXE, BLOCKING, RUN_AXE
from volunteers.models import Volunteer
from volunteers.tests.test_import_workbooks import person, roster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server):
    """As tests/e2e/conftest.py, with the page's CSP bypassed so axe-core can be injected (as test_axe.py)."""
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


HEADER = ("序号", "老同志姓名", "公民身份号码", "联系电话", "人员类别", "加入日期")


def test_station_user_maps_an_unknown_column_and_the_next_file_is_mapped_by_itself(world, page, login, tmp_path):
    login(world.user("staff"))
    page.goto("/volunteers/import/")
    first = tmp_path / "花名册.xlsx"
    first.write_bytes(roster([person(n, "2023.5.1") for n in range(1, 4)], header=HEADER))
    page.set_input_files("input[type=file]", str(first))
    page.get_by_role("button", name="上传并预览").click()

    assert "表头在第 3 行，读到 3 行数据" in page.locator("[data-testid=sheet-found]").inner_text()
    assert "表头缺少必填列：姓名" in page.locator("[data-testid=mapping-problems]").inner_text()
    assert page.locator("[data-testid=confirm-import]").count() == 0
    preview = page.locator("[data-testid=preview-rows]").inner_text()
    assert "2023-05-01" in preview and "退休民警" in preview
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE, list(BLOCKING)) == []  # the mapping step is usable by keyboard and reader

    page.select_option("[data-testid=map-B]", "name")
    page.click("[data-testid=remap]")
    assert "新增 3 人" in page.locator("[data-testid=import-summary]").inner_text()
    assert "老同志1" in page.locator("[data-testid=preview-rows]").inner_text()
    page.click("[data-testid=confirm-import]")
    page.wait_for_load_state("networkidle")
    assert "导入完成：新增 3 人" in page.content()
    assert Volunteer.objects.filter(workstation=world.a.station).count() == 3

    page.goto("/volunteers/import/")
    second = tmp_path / "花名册二.xlsx"
    second.write_bytes(roster([person(4, "2023年5月1日")], header=HEADER))
    page.set_input_files("input[type=file]", str(second))
    page.get_by_role("button", name="上传并预览").click()
    assert page.locator("[data-testid=map-B]").input_value() == "name"
    assert "新增 1 人" in page.locator("[data-testid=import-summary]").inner_text()
