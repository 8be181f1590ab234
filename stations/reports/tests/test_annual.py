"""The station annual report: the page, highlights, the PDF, submission snapshots and the difference list."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from stations.models import AuditEntry, Funding, ReportSnapshot, StationYearHighlight
from stations.periods import period_lock
from stations.reports.services import annual_report_freeze, highlight_save


def annual_url(name, station, year=2025):
    return reverse(f"reports:{name}", kwargs={"pk": station.pk, "year": year})


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_page_shows_the_station_year_in_figures_with_a_chart(world, client_as, test_figures):
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=4200)
    test_figures(
        "test.sessions",
        lambda *, station_ids, period: {world.a.station.pk: 12},
        label="活动场次",
        unit="场",
        group="活动",
    )
    test_figures(
        "test.audience",
        lambda *, station_ids, period: {world.a.station.pk: 340},
        label="受众人次",
        unit="场",
        group="活动",
    )
    page = client_as(world.user("staff")).get(annual_url("station-annual", world.a.station)).content.decode()
    assert "4,200" in page
    assert 'data-testid="figure-test.sessions"' in page
    assert "<svg" in page and "活动（场）" in page
    assert 'data-testid="highlight-save"' in page
    assert "以下为系统中的实时数据" in page  # nothing submitted yet: the page says so


def test_highlights_are_saved_audited_and_printed(world, client_as):
    client = client_as(world.user("staff"))
    response = client.post(annual_url("highlight-save", world.a.station), {"text": "开展“法治进校园”12场"})
    assert response.status_code == 302
    assert StationYearHighlight.objects.get().text == "开展“法治进校园”12场"
    assert AuditEntry.objects.filter(action="report.highlight").exists()
    pdf = client.get(
        reverse("stations:export-download", kwargs={"slug": "station-annual-report"}),
        {"workstation": world.a.station.pk, "year": 2025},
    )
    assert pdf.status_code == 200
    text = pdf_text(pdf)
    assert world.a.station.name in text
    assert "年度工作报告" in text
    assert "法治进校园" in text


def test_highlights_refused_in_a_locked_year(world, client_as):
    period_lock(actor=world.user("head"), workstation=world.a.station, year=2025)
    response = client_as(world.user("staff")).post(annual_url("highlight-save", world.a.station), {"text": "x"})
    assert response.status_code == 200
    assert "已提交并锁定" in response.content.decode()
    assert not StationYearHighlight.objects.exists()


def test_submitted_report_keeps_its_numbers_and_shows_corrections_to_the_county(world, client_as):
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=1000)
    head = client_as(world.user("head"))
    submit_year(head, world.a)
    snapshot = ReportSnapshot.objects.get()
    assert {row["key"]: row["value"] for row in snapshot.figures}["stations.funding_yuan"] == 1000

    # A later correction of the records …
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=250)
    pdf = head.get(
        reverse("stations:export-download", kwargs={"slug": "station-annual-report"}),
        {"workstation": world.a.station.pk, "year": 2025},
    )
    text = pdf_text(pdf)
    assert "1,000" in text and "1,250" not in text  # … does not move the printed report
    assert "已于" in text

    page = head.get(annual_url("station-annual", world.a.station)).content.decode()
    assert "本年度台账已于" in page and "由站长提交" in page

    county = client_as(world.user("county"))
    diff = county.get(annual_url("snapshot-diff", world.a.station)).content.decode()
    rows = diff[diff.index('data-testid="diff-table"') :]
    assert "到位经费" in rows
    assert "1,000" in rows and "1,250" in rows and "250" in rows
    assert rows.count('data-testid="diff-row"') == 1


def submit_year(client, side):
    """The head's 站长提交 of the year's checklist: the one submission of a station's year."""
    from inspections.tests.access import checklist_of

    checklist_of(side)
    kwargs = {"station": side.station.pk, "year": 2025, "action": "submit"}
    assert client.post(reverse("inspections:checklist-action", kwargs=kwargs), {"confirm": "1"}).status_code == 302


def test_one_submission_one_text_the_checklist_and_the_report_agree(world, client_as):
    """Issue 14 §1: the 工作亮点 typed in the checklist are the report's; submitting the checklist fixes
    the report (the PDF no longer says "尚未提交"); reopening the year makes it live again."""
    from django.core.exceptions import ValidationError

    head = client_as(world.user("head"))
    checklist_url = reverse("inspections:checklist-detail", kwargs={"station": world.a.station.pk, "year": 2025})
    head.post(checklist_url, {"highlights": "护学岗常态化，寒暑假关爱营两期", "filled_by": "刘晓燕"})
    pdf_url = reverse("stations:export-download", kwargs={"slug": "station-annual-report"})
    params = {"workstation": world.a.station.pk, "year": 2025}
    before = pdf_text(head.get(pdf_url, params))
    assert "护学岗常态化" in before and "（未填写）" not in before
    assert "年度台账尚未提交" in before

    submit_year(head, world.a)
    after = pdf_text(head.get(pdf_url, params))
    assert "护学岗常态化" in after and "年度台账提交时固定" in after and "尚未提交" not in after
    assert ReportSnapshot.objects.get().highlights == "护学岗常态化，寒暑假关爱营两期"
    with pytest.raises(ValidationError):  # the year is locked
        highlight_save(actor=world.user("staff"), workstation=world.a.station, year=2025, text="晚了")

    county = client_as(world.user("county"))
    reopen = dict(station=world.a.station.pk, year=2025, action="reopen")
    county.post(reverse("inspections:checklist-action", kwargs=reopen), {"reason": "经费数据有误"})  # not locking
    assert not ReportSnapshot.objects.exists()
    assert "年度台账尚未提交" in pdf_text(head.get(pdf_url, params))
    assert AuditEntry.objects.filter(action="checklist.reopen", changes__annual_report=["frozen", "live"]).exists()


def test_snapshot_diff_without_a_snapshot(world, client_as):
    page = client_as(world.user("county")).get(annual_url("snapshot-diff", world.a.station)).content.decode()
    assert 'data-testid="no-snapshot"' in page


def test_scores_section_when_inspection_figures_exist(world, client_as, test_figures):
    test_figures(
        "inspections.score_h1",
        lambda *, station_ids, period: {world.a.station.pk: 91.5},
        label="上半年检查得分",
        unit="分",
        additive=False,
        total=lambda *, station_ids, period: 91.5,
    )
    page = client_as(world.user("county")).get(annual_url("station-annual", world.a.station)).content.decode()
    assert "检查评分" in page and "91.5" in page


def test_out_of_scope_and_bad_year(world, client_as):
    client = client_as(world.user("county"))
    assert client.get(annual_url("station-annual", world.b.station)).status_code == 404
    assert client.get(annual_url("station-annual", world.a.station, year=1900)).status_code == 404


def test_station_page_links_to_the_annual_report(world, client_as):
    page = client_as(world.user("staff")).get(reverse("stations:workstation-detail", kwargs={"pk": world.a.station.pk}))
    assert 'data-testid="annual-report-panel"' in page.content.decode()
    from django.utils import timezone

    last_year = timezone.localdate().year - 1
    url = reverse("reports:station-annual", kwargs={"pk": world.a.station.pk, "year": last_year})
    assert url in page.content.decode()


def test_corrections_list_for_the_county(world, client_as):
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=1000)
    annual_report_freeze(actor=world.user("head"), workstation=world.a.station, year=2025)
    client = client_as(world.user("county"))
    url = reverse("reports:corrections")
    page = client.get(url, {"year": 2025}).content.decode()
    assert 'data-testid="correction-row"' not in page
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=250)
    page = client.get(url, {"year": 2025}).content.decode()
    assert page.count('data-testid="correction-row"') == 1
    assert "到位经费" in page and "1,250" in page
    assert "共 1 条" in page
    assert client.get(url, {"year": 2025, "q": "不存在的站"}).content.decode().count("correction-row") == 0


def test_corrections_query_count_is_fixed(world, client_as, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stations.models import Workstation
    from stations.tests.factories import WorkstationFactory

    def submit(count):
        stations = WorkstationFactory.create_batch(count, county=world.a.county)
        ReportSnapshot.objects.bulk_create(
            [
                ReportSnapshot(
                    workstation=s,
                    year=2025,
                    figures=[
                        {"key": "stations.funding_yuan", "label": "到位经费", "unit": "元", "group": "", "value": 5}
                    ],
                )
                for s in stations
            ]
        )

    submit(5)
    client = client_as(world.user("county"))
    with CaptureQueriesContext(connection) as few:
        assert "共 5 条" in client.get(reverse("reports:corrections"), {"year": 2025}).content.decode()
    submit(45)
    assert Workstation.objects.filter(county=world.a.county).count() == 51
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "共 50 条" in client.get(reverse("reports:corrections"), {"year": 2025}).content.decode()


def test_month_chart_shows_activities_per_month_and_is_frozen_by_the_snapshot(world, client_as, test_figures):

    counts = {3: 4, 7: 2}
    test_figures(
        "activities.sessions",
        lambda *, station_ids, period: {world.a.station.pk: counts.get(period.month, 0) if period.month else 6},
        label="活动场次",
        unit="场",
    )
    page = client_as(world.user("staff")).get(annual_url("station-annual", world.a.station)).content.decode()
    chart = page[page.index('data-testid="month-chart"') :]
    assert "各月活动场次（场）" in chart and "3月" in chart and ">4<" in chart.replace(" ", "")
    annual_report_freeze(actor=world.user("head"), workstation=world.a.station, year=2025)
    counts[3] = 9  # a later correction …
    page = client_as(world.user("staff")).get(annual_url("station-annual", world.a.station)).content.decode()
    chart = page[page.index('data-testid="month-chart"') :]
    assert ">4<" in chart.replace(" ", "") and ">9<" not in chart.replace(" ", "")  # … does not move the report


def test_period_of_a_month():
    from datetime import date

    from stations.figures import Period

    feb = Period.of_month(2024, 2)
    assert (feb.start, feb.end, feb.label, str(feb)) == (date(2024, 2, 1), date(2024, 2, 29), "2024年2月", "2024-02")
    assert Period.of_month(2025, 1).previous() == Period.of_month(2024, 12)
