"""Every view that serves a stored file goes through stations.downloads: an attachment with the Chinese
file name, nosniff, no-store; and a file gone from disk is a 404 with a Chinese message, not a 500."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stations.downloads import content_disposition
from stations.models import AuditEntry, ExportJob, ExportJobState, SystemDocument, WorkSystem

pytestmark = pytest.mark.django_db

MISSING = "文件已不在服务器上"
PDF = b"%PDF-1.4 test\n"


def station_logo(world):
    station = world.a.station
    station.logo_photo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return world.user("staff"), reverse("stations:workstation-logo", args=[station.pk]), station.logo_photo


def system_document(world):
    station = world.a.station
    system = WorkSystem.values[0]
    doc = SystemDocument.objects.create(workstation=station, system=system)
    doc.document.save("制度.pdf", ContentFile(PDF), save=True)
    url = reverse("stations:system-document-file", args=[station.pk, system])
    return world.user("staff"), url, doc.document


def export_job(world):
    user = world.user("prov")
    job = ExportJob.objects.create(
        report="province-summary",
        title="汇总表",
        requested_by=user,
        state=ExportJobState.DONE,
        filename="黑龙江省2025年工作情况汇总表.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    job.file.save("summary.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    return user, reverse("reports:job-download", args=[job.pk]), job.file


def training_certificate(world):
    from volunteers.tests.factories import TrainingFactory

    training = TrainingFactory(workstation=world.a.station)
    training.certificate.save("证书.pdf", ContentFile(PDF), save=True)
    return world.user("staff"), reverse("volunteers:training-certificate", args=[training.pk]), training.certificate


def activity_attachment(world):
    from activities.models import Attachment
    from activities.tests.factories import activity

    attachment = Attachment(activity=activity(world.a.station), kind="minutes", original_name="会议纪要.pdf")
    attachment.file.save("minutes.pdf", ContentFile(PDF), save=True)
    return world.user("staff"), reverse("activities:attachment-download", args=[attachment.pk]), attachment.file


def inspection_evidence(world):
    from inspections.models import Rectification, RectificationEvidence
    from inspections.tests.conftest import scored_round, simple_template

    simple_template(world.a.province, 2020)
    officer = world.user("county")
    round = scored_round(officer=officer, county=world.a.county, year=2020, half=1, scores={world.a.station.pk: 80})
    rect = Rectification.objects.create(
        workstation=world.a.station,
        inspection=round.inspections.get(workstation=world.a.station),
        finding="台账不全",
        due_on=date(2020, 7, 20),
        responsible="王建国",
    )
    evidence = RectificationEvidence(rectification=rect, name="整改佐证.pdf")
    evidence.file.save("evidence.pdf", ContentFile(PDF), save=True)
    return officer, reverse("inspections:evidence-file", args=[rect.pk, evidence.pk]), evidence.file


DOWNLOADS = [station_logo, system_document, export_job, training_certificate, activity_attachment, inspection_evidence]


@pytest.mark.parametrize("make", DOWNLOADS, ids=lambda make: make.__name__)
def test_download_serves_the_file_as_a_named_attachment(world, make):
    user, url, field = make(world)
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == Path(field.path).read_bytes()
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("no-store")


@pytest.mark.parametrize("make", DOWNLOADS, ids=lambda make: make.__name__)
def test_download_of_a_file_gone_from_disk_is_a_chinese_404(world, make, settings):
    settings.DEBUG = False
    user, url, field = make(world)
    os.remove(field.path)
    audited = AuditEntry.objects.filter(action="file.download").count()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 404
    text = response.content.decode()
    assert MISSING in text and "页面不存在" in text
    # Nothing was handed out, so nothing is logged as downloaded.
    assert AuditEntry.objects.filter(action="file.download").count() == audited


def test_a_chinese_file_name_reaches_the_browser_whole():
    header = content_disposition("志愿者导入模板.xlsx")
    assert header == (
        "attachment; filename=\"download.xlsx\"; filename*=UTF-8''"
        "%E5%BF%97%E6%84%BF%E8%80%85%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    assert content_disposition('a"b\\c.pdf') == "attachment; filename=\"abc.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf"


def test_generated_downloads_carry_the_same_headers(world, client_as):
    response = client_as(world.user("staff")).get(reverse("volunteers:import-template"))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "no-store"
