"""Batch documents (issue 16 §4): a county's checklists or station reports, and every county's summary,
as one ZIP from a background job with progress; each file is the one its single download gives."""

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from stations.models import AuditEntry, ExportJob, ExportJobState, StationStatus
from stations.tests.factories import WorkstationFactory

pytestmark = pytest.mark.django_db


def run(client, slug, **params):
    response = client.post(reverse("reports:job-start", kwargs={"slug": slug}), params)
    return response, ExportJob.objects.order_by("-pk").first()


def latest():
    return ExportJob.objects.order_by("-pk").first()


def members(job) -> dict[str, str]:
    """File name → the PDF's text, of each file in the job's ZIP."""
    with job.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return {
        name: "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(name))).pages)
        for name in archive.namelist()
    }


def test_a_county_downloads_its_checklists_as_one_zip(world, client_as, django_capture_on_commit_callbacks):
    closed = WorkstationFactory(county=world.a.county, name="甲撤销派出所关爱工作站", status=StationStatus.CLOSED)
    second = WorkstationFactory(county=world.a.county, name="甲二站派出所关爱工作站")
    client = client_as(world.user("county"))
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = run(client, "county-checklists", org=world.a.county.pk, year=2025)
    job = latest()
    assert response.status_code == 302 and job.state == ExportJobState.DONE and job.progress == 100
    assert job.title == "甲县2025年年度台账（全县打包）"
    assert job.filename.startswith("甲县_2025_年度台账_") and job.filename.endswith(".zip")
    files = members(job)
    assert sorted(files) == sorted(
        f"{station.code}_{station.name}_2025年度台账.pdf" for station in (world.a.station, second)
    )
    for name, text in files.items():
        assert "年度工作台账" in text and name.split("_")[1] in text
    assert closed.name not in "".join(files)  # closed stations keep no checklist
    assert world.b.station.name not in "".join(files.values())
    assert AuditEntry.objects.filter(action="export.job_start", object_id=str(job.pk)).exists()


def test_a_county_downloads_its_station_reports(world, client_as, django_capture_on_commit_callbacks):
    client = client_as(world.user("county"))
    with django_capture_on_commit_callbacks(execute=True):
        run(client, "county-annual-reports", org=world.a.county.pk, year=2025)
    job = latest()
    files = members(job)
    assert list(files) == [f"{world.a.station.code}_{world.a.station.name}_2025年度工作报告.pdf"]
    assert "年度工作报告" in next(iter(files.values()))


def test_the_province_downloads_every_county_summary(world, client_as, django_capture_on_commit_callbacks):
    client = client_as(world.user("prov"))
    with django_capture_on_commit_callbacks(execute=True):
        run(client, "county-summaries", org=world.a.province.pk, year=2025)
    job = latest()
    assert job.state == ExportJobState.DONE, job.error
    files = members(job)
    assert sorted(files) == sorted(
        f"{county.code}_{county.name}_2025_工作汇总.pdf" for county in (world.a.county, world.b.county)
    )
    assert world.z.county.name not in "".join(files)  # another province


def test_another_county_or_a_station_user_is_refused(world, client_as):
    response, job = run(client_as(world.user("county")), "county-checklists", org=world.b.county.pk, year=2025)
    assert response.status_code == 404 and job is None
    response, job = run(client_as(world.user("staff")), "county-checklists", org=world.a.county.pk, year=2025)
    assert response.status_code == 403 and job is None


def test_the_county_dashboard_offers_the_batches(world, client_as):
    page = client_as(world.user("county")).get(reverse("reports:dashboard")).content.decode()
    assert 'data-testid="batch-county-checklists"' in page and 'data-testid="batch-county-annual-reports"' in page
    page = client_as(world.user("prov")).get(reverse("reports:dashboard")).content.decode()
    assert 'data-testid="batch-county-summaries"' in page
