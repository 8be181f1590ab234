"""A station user enters a legal lecture with a photo and sees the station's counts change."""

import pytest

from activities.tests.factories import volunteer
from stations.tests.test_uploads import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def panel_cells(page, system):
    row = page.locator(f"[data-testid=panel-{system}] td")
    return [row.nth(i).inner_text().strip() for i in range(1, 5)]


def test_station_user_enters_a_lecture_with_a_photo(world, page, login, tmp_path):
    station = world.a.station
    lecturer = volunteer(station, "宣讲员赵国庆", lecturer=True)
    volunteer(world.b.station, "外站志愿者")
    login(world.user("staff"))

    page.goto(f"/stations/{station.pk}/")
    assert panel_cells(page, "legal_education") == ["0", "0", "0", "0"]

    page.get_by_role("link", name="活动", exact=True).click()
    page.click("[data-testid=new-activity]")
    page.set_viewport_size({"width": 390, "height": 844})  # phone width
    assert "外站志愿者" not in page.content()
    page.select_option("#id_type", label="法治教育/法治宣讲")
    page.fill("#id_title", "法治进校园：预防校园欺凌")
    page.fill("#id_audience_count", "280")
    page.fill("#id_minors_reached", "280")
    page.get_by_label("宣讲员赵国庆").first.check()
    page.click("text=法治宣讲：学校与宣讲人")
    page.fill("#id_school", "新阳路小学")
    page.select_option("#id_lecturer", label="宣讲员赵国庆")
    page.click("[data-testid=save-activity]")  # quick entry (htmx): confirmed in place, a fresh form follows
    page.wait_for_selector("[data-testid=saved-activity]")
    assert "活动已登记" in page.inner_text("[data-testid=saved-activity]")
    assert page.input_value("#id_title") == ""
    page.locator("[data-testid=saved-activity] a").click()
    page.wait_for_load_state("networkidle")

    photo = tmp_path / "讲座照片.png"
    photo.write_bytes(png_bytes((40, 30)))
    page.select_option("#id_kind", value="photo")
    page.set_input_files("#id_file", str(photo))
    page.click("[data-testid=upload]")
    page.wait_for_load_state("networkidle")
    assert "附件已上传" in page.content()
    assert page.locator("[data-testid=attachment]").count() == 1

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/stations/{station.pk}/")
    assert panel_cells(page, "legal_education") == ["1", "1", "1", "280"]
    assert lecturer.service.count() == 1
