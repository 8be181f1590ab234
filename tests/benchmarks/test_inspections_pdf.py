"""Benchmark: a station's annual checklist PDF (target < 2 s). Run with `make bench`; the result is
written to docs/benchmarks-inspections.md."""

import io
import platform
import statistics
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from inspections import services
from stations.models import Funding

pytestmark = [pytest.mark.bench]
TARGET_SECONDS = 2.0
RUNS = 5
REPORT = Path(__file__).resolve().parents[2] / "docs" / "benchmarks-inspections.md"


def test_annual_checklist_pdf_render_time(world, client_as):
    head = world.user("head")
    station = world.a.station
    Funding.objects.create(workstation=station, year=2025, amount_yuan=30000)
    checklist = services.checklist_for(actor=head, workstation=station, year=2025)
    services.checklist_save(
        actor=head,
        checklist=checklist,
        highlights="开展法治进校园、护学岗、假期关爱等活动。" * 20,
        problems="退休民警年龄偏大。" * 10,
        plans="吸收新退休民警，完善帮教小组。" * 10,
        honours="县级先进集体",
        filled_by="刘晓燕",
        haves={"venue": True, "people": True},
    )
    services.checklist_submit(actor=head, checklist=checklist)
    client = client_as(head)
    url = reverse("stations:export-download", args=["annual-checklist"]) + f"?workstation={station.pk}&year=2025"
    client.get(url)  # warm-up: fonts and templates
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    median, worst = statistics.median(timings), max(timings)
    REPORT.write_text(
        "# Benchmark: annual checklist PDF (inspections)\n\n"
        f"Measured {timezone.localdate().isoformat()} on {platform.machine()} / Python {platform.python_version()}, "
        "through the download view (scoped selectors, figures, WeasyPrint, audit entry), after one warm-up.\n\n"
        "| runs | pages | median | worst | target |\n|---|---|---|---|---|\n"
        f"| {RUNS} | {pages} | {median:.2f} s | {worst:.2f} s | < {TARGET_SECONDS:.0f} s |\n\n"
        "Run again with `make bench PYTEST_ARGS=tests/benchmarks/test_inspections_pdf.py`.\n",
        encoding="utf-8",
    )
    assert median < TARGET_SECONDS
