"""The award certificate is one framed sheet (issue 14 §6): no running page header, no "第 1 页 / 共 1 页";
the half-year report's chart draws bars in proportion to the scores."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from inspections.models import AwardCycle, AwardStatus, Nomination, NominationStatus


@pytest.fixture
def awarded(world):
    cycle = AwardCycle.objects.create(
        province=world.a.province, first_year=2023, status=AwardStatus.CLOSED, decided_on=date(2025, 3, 1)
    )
    return Nomination.objects.create(
        cycle=cycle,
        workstation=world.a.station,
        reason="成效突出",
        status=NominationStatus.AWARDED,
        certificate_no="2023-2024-001",
    )


def test_certificate_has_no_page_header_or_page_numbers(world, client_as, awarded):
    response = client_as(world.user("head")).get(
        reverse("stations:export-download", args=["award-certificate"]) + f"?nomination={awarded.pk}"
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())  # the title is letter-spaced: 荣 誉 证 书
    assert "荣誉证书" in text and "甲站派出所关爱工作站" in text and "2023-2024-001" in text
    assert "被评为“优秀爱心工作站”" in text and "2025年3月1日" in text
    assert "第1页" not in text and "共1页" not in text and "页" not in text
    assert "优秀爱心工作站证书" not in text  # the running header's title
    assert text.count("甲省") == 1  # in the signature only, not again in a page header


def test_county_report_chart_draws_a_score_above_full_marks_longer():
    """The half-year report's ranking chart: bar length ∝ score, axis max = max(scores, 100)."""
    import re
    from types import SimpleNamespace

    from inspections.exports import round_chart

    def inspection(code, score):
        return SimpleNamespace(score=score, workstation=SimpleNamespace(name=f"{code}站", code=code))

    svg = str(round_chart([inspection("A", 100), inspection("B", 102), inspection("C", 51)]))
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] > widths[1] > widths[2]  # ranked: 102, 100, 51
    assert abs(widths[1] / widths[0] - 100 / 102) < 0.01 and abs(widths[2] / widths[0] - 51 / 102) < 0.01
