"""A station user signs in, sees only their own station, is refused another by URL, downloads the PDF."""

import io

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_user_sees_only_own_station_and_downloads_profile_pdf(world, page, login):
    staff = world.user("staff")
    login(staff)
    assert "待办与概况" in page.content()

    page.get_by_role("link", name="工作站", exact=True).click()
    rows = page.locator("[data-testid=station-row]")
    assert rows.count() == 1
    assert world.a.station.name in rows.first.inner_text()
    assert world.b.station.name not in page.content()

    response = page.goto(f"/stations/{world.b.station.pk}/")
    assert response.status == 404

    page.goto(f"/stations/{world.a.station.pk}/")
    with page.expect_download() as download_info:
        page.click("[data-testid=profile-pdf]")
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert world.a.station.name in text
