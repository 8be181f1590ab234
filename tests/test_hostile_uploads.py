"""Hostile files posted through the real upload URLs of every place that stores a file (IN-5).

Activity attachments, system documents, training certificates and rectification evidence: a 50 MP PNG,
a zip bomb named .xlsx, a zip with a `../` entry and a PDF/HTML polyglot are each refused with a Chinese
message next to the file field, and nothing is stored: no row, no file under MEDIA_ROOT.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Attachment
from activities.tests.factories import activity
from inspections.models import RectificationEvidence
from inspections.tests.access import rect_of
from stations.models import SystemDocument
from stations.tests.hostile_files import field_errors, huge_png, pdf_html_polyglot, traversal_zip, zip_bomb
from volunteers.models import Training


@dataclass
class Place:
    role: str
    field: str
    setup: object  # world → (url, data without the file)
    stored: object  # () → number of stored rows
    follow: bool  # the view redirects back to the page that holds the form


def _attachment(world, name):
    record = activity(world.a.station)
    kind = "photo" if name.endswith(".png") else "sign_in"
    return reverse("activities:attachment-upload", args=[record.pk]), {"kind": kind}


def _system_document(world, name):
    return reverse("stations:system-document-upload", args=[world.a.station.pk]), {"system": "training"}


def _training(world, name):
    data = {
        "workstation": world.a.station.pk,
        "title": "调解技能培训",
        "held_on": "2025-04-02",
        "organiser": "县关工委",
        "hours": "3",
    }
    return reverse("volunteers:training-create"), data


def _evidence(world, name):
    rect = rect_of(world.a)
    return reverse("inspections:rectification-answer", args=[rect.pk]), {"answer": "已召开联席会议并整改"}


PLACES = {
    "activity-attachment": Place("staff", "file", _attachment, Attachment.objects.count, True),
    "system-document": Place("head", "document", _system_document, SystemDocument.objects.count, True),
    "training-certificate": Place("staff", "certificate", _training, Training.objects.count, False),
    "rectification-evidence": Place("head", "files", _evidence, RectificationEvidence.objects.count, False),
}

HOSTILE = {
    "50-megapixel-png": ("合影.png", huge_png, "图片像素过多"),
    "zip-bomb-xlsx": ("签到表.xlsx", zip_bomb, "疑似压缩炸弹"),
    "dot-dot-zip-docx": ("纪要.docx", traversal_zip, "路径不合法"),
    "pdf-html-polyglot": ("制度.pdf", pdf_html_polyglot, "含有网页代码"),
}


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("place", PLACES)
def test_hostile_file_is_refused_next_to_the_field_and_nothing_is_stored(world, client_as, settings, place, hostile):
    spec = PLACES[place]
    name, build, message = HOSTILE[hostile]
    url, data = spec.setup(world, name)
    client = client_as(world.user(spec.role))
    before = spec.stored()
    upload = SimpleUploadedFile(name, build())
    response = client.post(url, {**data, spec.field: upload}, follow=spec.follow)
    assert response.status_code == 200
    errors = field_errors(response.content.decode(), spec.field)
    assert any(message in error for error in errors), errors
    assert spec.stored() == before
    assert _stored_files(settings) == []


def _rss_kib(key: str) -> int:
    return int(re.search(rf"{key}:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1))


def test_oversized_image_is_refused_before_it_is_decoded(world, client_as, settings):
    """A 50 MP RGBA photo would need 200 MB once decoded; the refusal reads only its header."""
    png = huge_png()
    url, data = _attachment(world, "合影.png")
    client = client_as(world.user("staff"))
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    start = _rss_kib("VmRSS")
    response = client.post(url, {**data, "file": SimpleUploadedFile("合影.png", png)}, follow=True)
    peak_mib = (_rss_kib("VmHWM") - start) / 1024
    assert any("图片像素过多" in error for error in field_errors(response.content.decode(), "file"))
    assert peak_mib < 64, f"peak memory grew by {peak_mib:.0f} MiB"
    assert not Attachment.objects.exists()


def test_oversized_logo_photo_is_refused_next_to_the_field(world, client_as, settings):
    station = world.a.station
    response = client_as(world.user("staff")).post(
        reverse("stations:workstation-edit", args=[station.pk]),
        {
            "name": station.name,
            "police_station": station.police_station,
            "office_location": "station",
            "version": station.version,
            "logo_photo": SimpleUploadedFile("标识.png", huge_png()),
        },
    )
    assert response.status_code == 200
    assert any("图片像素过多" in error for error in field_errors(response.content.decode(), "logo_photo"))
    station.refresh_from_db()
    assert not station.logo_photo
    assert _stored_files(settings) == []
