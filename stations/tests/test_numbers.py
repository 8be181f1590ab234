from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse

from stations.models import Funding
from stations.templatetags.numbers import num, yuan


def test_figures_print_without_trailing_zeros():
    assert num(Decimal("19937.50")) == "19,937.5"
    assert num(Decimal("5.50")) == "5.5"
    assert num(67000) == "67,000"
    assert num(None) == "0"
    assert num(Decimal("3.175")) == "3.18"
    assert num(Decimal("3.2"), 1) == "3.2"


def test_money_has_one_format():
    assert yuan(Decimal("10000.00")) == "10,000 元"
    assert yuan(Decimal("8000.50")) == "8,000.50 元"  # cents only when there are any, then both digits
    assert yuan(Decimal("8000.5")) == "8,000.50 元" and yuan(Decimal("0.05")) == "0.05 元"
    assert yuan(None) == "0 元"


@pytest.mark.django_db
def test_money_reads_the_same_on_the_station_page_and_the_activity_pages(world, client_as):
    from activities.tests.factories import activity as make_activity

    station = world.a.station
    Funding.objects.create(workstation=station, year=2025, amount_yuan=Decimal("8000.00"), source="区财政")
    activity = make_activity(station, "relief", amount_yuan=Decimal("10000.00"), people_helped=2)
    client = client_as(world.user("staff"))
    pages = [
        client.get(reverse("stations:workstation-detail", args=[station.pk])).content.decode(),
        client.get(reverse("activities:activity-detail", args=[activity.pk])).content.decode(),
        client.get(reverse("activities:activity-list")).content.decode(),
    ]
    assert "8,000 元" in pages[0] and "10,000 元" in pages[1] and "10,000 元" in pages[2]
    for page in pages:
        assert "¥" not in page and "8000.00" not in page and "10000.00" not in page


def _pdf_text(response) -> str:
    import io

    from pypdf import PdfReader

    assert response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def _cell(content: bytes, sheet: str, header: str):
    import io

    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(content))[sheet].iter_rows())
    header_row = next(row for row in rows if header in [c.value for c in row])
    column = [c.value for c in header_row].index(header)
    return rows[rows.index(header_row) + 1][column]


@pytest.mark.django_db
def test_the_same_money_reads_the_same_on_pages_and_in_pdfs_and_is_a_money_cell_in_workbooks(world, client_as):
    """Issue 14 §6: 8000.50 was "8000.00"-style in one document and "8,000.5 元" in another."""
    from activities.tests.factories import activity as make_activity

    station = world.a.station
    Funding.objects.create(workstation=station, year=2025, amount_yuan=Decimal("8000.50"), source="区财政")
    donation = make_activity(station, "relief", amount_yuan=Decimal("10000.00"), people_helped=2)
    staff = client_as(world.user("staff"))
    download = reverse("stations:export-download", args=["station-annual-report"])
    annual_page = staff.get(reverse("reports:station-annual", args=[station.pk, 2025])).content.decode()
    annual_pdf = _pdf_text(staff.get(download, {"workstation": station.pk, "year": 2025}))
    assert "8,000.50 元" in annual_page and "8,000.50 元" in annual_pdf
    checklist = reverse("stations:export-download", args=["annual-checklist"])
    checklist_pdf = _pdf_text(staff.get(checklist, {"workstation": station.pk, "year": 2025}))
    activity_page = staff.get(reverse("activities:activity-detail", args=[donation.pk])).content.decode()
    assert "8,000.50 元" in checklist_pdf and "10,000 元" in checklist_pdf and "10,000 元" in activity_page
    for text in (annual_page, annual_pdf, checklist_pdf, activity_page):
        assert "8000.5" not in text and "8,000.5 元" not in text and "10000.00" not in text

    activities = staff.get(reverse("stations:export-download", args=["activity-list"]), {"period": "2025"})
    amount = _cell(activities.content, "活动台账", "资助金额（元）")
    assert amount.value == 10000 and amount.number_format == '#,##0" 元"'
    prov = world.user("prov")
    from stations.exports import get_report

    summary = get_report("province-summary").build(user=prov, params=QueryDict("year=2025"))
    funding = _cell(summary.content, "合计", "到位经费（元）")
    assert funding.value == 8000.5 and funding.number_format == '#,##0.00" 元"'
