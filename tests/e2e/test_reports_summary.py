"""The provincial committee's one click: start the yearly summary, watch the job, download, check totals."""

import io

import pytest
from openpyxl import load_workbook

from stations.models import Funding
from stations.tests.factories import WorkstationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_officer_exports_the_yearly_summary(world, page, login):
    second = WorkstationFactory(county=world.a.county, name="甲二派出所关爱工作站")
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=1500)
    Funding.objects.create(workstation=second, year=2025, amount_yuan=500)
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=250)
    Funding.objects.create(workstation=world.z.station, year=2025, amount_yuan=9000)

    login(world.user("prov"))
    page.get_by_role("link", name="仪表板").click()
    page.select_option("#id_period", "2025")
    page.get_by_role("button", name="查看").click()
    assert "2025年" in page.locator("h1").inner_text()

    page.click("[data-testid=export-summary]")
    page.wait_for_url("**/reports/jobs/*/")
    progress = page.locator("[data-testid=job-progress]")
    assert progress.count() == 1
    page.wait_for_selector("[data-testid=job-progress][data-state=done]", timeout=60_000)
    assert page.locator("[data-testid=job-state]").inner_text() == "已完成"

    with page.expect_download() as download_info:
        page.click("[data-testid=job-download]")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    assert "2025年" in " ".join(str(c) for row in book["说明"].iter_rows(values_only=True) for c in row if c)

    def table(name):
        rows = list(book[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]

    key = "到位经费（元）"
    total = table("合计")[0][key]
    assert total == 2250  # 1500 + 500 + 250; the other province is not included
    assert sum(row[key] for row in table("市（地）")) == total
    assert sum(row[key] for row in table("县（区）")) == total
    assert sum(row[key] for row in table("工作站")) == total
    assert {row["工作站"] for row in table("工作站")} == {world.a.station.name, second.name, world.b.station.name}


def test_job_page_follows_progress_without_reloading(world, page, login):
    """A job running in a worker: the page polls (htmx, every second) until the job is done."""
    from playwright.sync_api import expect

    from stations.models import ExportJob

    job = ExportJob.objects.create(
        report="province-summary", title="汇总表", requested_by=world.user("prov"), state="running", progress=30
    )
    login(world.user("prov"))
    page.goto(f"/reports/jobs/{job.pk}/")
    assert "30%" in page.locator("[data-testid=job-progress]").inner_text()
    page.evaluate("window.__marker = 'same page'")
    ExportJob.objects.filter(pk=job.pk).update(progress=70)
    expect(page.locator("[data-testid=job-progress]")).to_contain_text("70%")
    ExportJob.objects.filter(pk=job.pk).update(state="failed", error="磁盘已满")
    page.wait_for_selector("[data-testid=job-progress][data-state=failed]")
    assert "磁盘已满" in page.locator("[data-testid=job-error]").inner_text()
    assert page.evaluate("window.__marker") == "same page"  # updated in place, never reloaded
