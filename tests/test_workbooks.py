"""Every workbook the product offers prints and reads well (issue 14 §6): opened in a spreadsheet, each data
sheet prints landscape, one page wide, with its header rows on every page; each header is fully visible; the
panes are frozen below the header; no two columns of a sheet share a header; the cover fits one page.

A workbook comes from a registered report or from one of the views listed below; a new source of
workbooks (a new `XlsxWriter(` in the code) must be added here, or the completeness test fails.
"""

import io
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from activities.tests.factories import activity
from mentoring.tests.factories import YouthFactory
from stations.exports import REGISTRY, get_report
from stations.exports.xlsx import pages_wide
from stations.models import Funding

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROOT = Path(__file__).resolve().parent.parent

# slug → (role, params) of every registered report; PDFs are listed too so a new report is never missed.
REPORTS = {
    "audit-log": ("audit", ""),
    "workstation-roster": ("prov", ""),
    "province-summary": ("prov", "year=2025"),
    "area-summary": ("city", "year=2025"),
    "mentoring-youth-masked": ("county", ""),
    "activity-list": ("county", "period=2025"),
    "volunteer-roster": ("county", ""),
}
PDF_REPORTS = {
    "workstation-profile",
    "station-annual-report",
    "county-summary-pdf",
    "annual-checklist",
    "inspection-report",
    "award-certificate",
}
ZIP_REPORTS = {"county-checklists", "county-annual-reports", "county-summaries"}  # PDFs of the above, zipped
NAMED = "mentoring-youth-named"  # made on its own page (encrypted), below

# Modules that build a workbook (grep for `XlsxWriter(`), each covered by a report above or a test below.
WORKBOOK_SOURCES = {
    "stations/audit/exports.py",
    "stations/reports/workstation.py",
    "stations/reports/summary.py",
    "mentoring/exports.py",
    "activities/exports.py",
    "volunteers/exports.py",
    "volunteers/views.py",
    "stations/imports/views.py",
}


def text_width(text) -> int:
    """Columns a header needs, in Excel width units: a CJK or full-width character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(text))


@pytest.fixture
def data(world):
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=Decimal("10000.00"), source="区财政")
    activity(world.a.station, "relief", amount_yuan=Decimal("8000.50"), people_helped=2)
    YouthFactory(workstation=world.a.station)
    return world


def key_columns(sheet) -> int:
    """The leading columns frozen with the header (the unit and name columns)."""
    from openpyxl.utils import column_index_from_string

    letters = re.match(r"[A-Z]+", sheet.freeze_panes or "A1").group(0)
    return column_index_from_string(letters) - 1


def check_workbook(content: bytes) -> list[str]:
    """The problems a reader would meet printing or reading the workbook, by sheet."""
    book = load_workbook(io.BytesIO(content))
    problems = []
    cover = book["说明"]
    if not (cover.sheet_properties.pageSetUpPr.fitToPage and cover.page_setup.fitToHeight == 1):
        problems.append("说明: cover does not fit on one page")
    for sheet in book.worksheets[1:]:
        name = sheet.title
        rows = list(sheet.iter_rows(values_only=True))
        header_row = next(i for i, row in enumerate(rows, start=1) if len([v for v in row if v is not None]) > 1)
        headers = [h for h in rows[header_row - 1] if h is not None]
        if len(headers) != len(set(headers)):
            problems.append(f"{name}: duplicate headers {sorted(h for h in headers if headers.count(h) > 1)}")
        setup = sheet.page_setup
        if setup.orientation != "landscape":
            problems.append(f"{name}: prints {setup.orientation}")
        columns = [sheet.column_dimensions[c.column_letter].width for c in sheet[header_row] if c.value is not None]
        if not (sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0):
            problems.append(f"{name}: not fitted to the page width")
        elif setup.fitToWidth != pages_wide(columns, key_columns(sheet)):
            problems.append(f"{name}: {setup.fitToWidth} pages wide, {pages_wide(columns)} keep it readable")
        elif setup.fitToWidth > 1 and key_columns(sheet) and not sheet.print_title_cols:
            problems.append(f"{name}: {setup.fitToWidth} pages wide without its unit columns on each")
        if sheet.print_title_rows != f"$1:${header_row}":
            problems.append(f"{name}: print titles {sheet.print_title_rows}, header is row {header_row}")
        frozen = re.fullmatch(r"([A-Z]+)(\d+)", sheet.freeze_panes or "A1")
        if int(frozen.group(2)) != header_row + 1:
            problems.append(f"{name}: panes frozen at {sheet.freeze_panes}, header is row {header_row}")
        for cell in sheet[header_row]:
            if cell.value is None:
                continue
            width = sheet.column_dimensions[cell.column_letter].width
            if width < text_width(cell.value) and not (width >= 40 and cell.alignment.wrap_text):
                problems.append(f"{name}: header {cell.value!r} cut off (width {width})")
    return problems


@pytest.mark.parametrize("slug", sorted(REPORTS))
def test_every_report_workbook_prints_landscape_fitted_with_headers_whole_and_unique(data, slug):
    role, params = REPORTS[slug]
    report = get_report(slug)
    params = QueryDict(params)
    if slug == "workstation-roster":
        params = QueryDict(f"county={data.a.county.pk}")
    built = report.build(user=data.user(role), params=params)
    assert built.content_type == XLSX
    assert check_workbook(built.content) == []


def test_the_volunteer_import_error_report_prints_the_same_way(data, client_as):
    response = client_as(data.user("staff")).get(reverse("volunteers:import-errors"))
    assert response.status_code == 200
    assert check_workbook(response.content) == []


def test_the_activity_import_error_report_prints_the_same_way(data, client_as):
    response = client_as(data.user("staff")).get(reverse("activities:import-errors"))
    assert response.status_code == 200
    assert check_workbook(response.content) == []


def test_the_named_youth_list_prints_the_same_way(data, client_as):
    from mentoring.tests.test_named_export import decrypt, named_export

    _, password, content = named_export(client_as(data.user("county")), workstation=data.a.station.pk)
    assert check_workbook(decrypt(content, password)) == []


def test_the_summary_has_key_columns_frozen_and_one_retired_officers_column(data):
    built = get_report("province-summary").build(user=data.user("prov"), params=QueryDict("year=2025"))
    book = load_workbook(io.BytesIO(built.content))
    stations = book["工作站"]
    headers = [c.value for c in stations[1]]
    assert headers[:4] == ["市（地）", "县（区）", "编号", "工作站"] and stations.freeze_panes == "E2"
    assert headers.count("在册退休民警（人）") == 1
    assert book["县（区）"].freeze_panes == "C2" and book["合计"].freeze_panes == "B2"


def test_every_source_of_workbooks_is_checked_here():
    sources = {
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts and "tests" not in path.parts and "XlsxWriter(" in path.read_text()
    }
    sources.discard("stations/exports/xlsx.py")
    assert sources == WORKBOOK_SOURCES
    assert set(REGISTRY) == set(REPORTS) | PDF_REPORTS | ZIP_REPORTS | {NAMED}


def test_the_volunteer_import_template_prints_the_same_way(data, client_as):
    """The template a station fills in prints like every other workbook: landscape, readable width,
    header row and the station code and name repeated, panes frozen on them."""
    response = client_as(data.user("staff")).get(reverse("volunteers:import-template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1] if cell.value is not None]
    widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1] if cell.value is not None]
    assert len(headers) == len(set(headers))
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToHeight == 0
    assert sheet.page_setup.fitToWidth == pages_wide(widths, 2)
    assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "C2"
    assert all(width >= text_width(header) for header, width in zip(headers, widths, strict=True))
