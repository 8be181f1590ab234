"""DATA-6 residual information: no page of a signed-in user is cached, upload temp files are removed
after success and failure, logout removes the session."""

import io

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from stations.models import SystemDocument
from tests.test_access_matrix import ENTRIES

pytestmark = pytest.mark.django_db

PAGES = sorted(name for name, entry in ENTRIES.items() if entry.method == "get" and entry.ok == 200)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_of_a_signed_in_user_is_no_store(world, client_as, name):
    entry = ENTRIES[name]
    role = sorted(entry.allowed)[0]
    target = entry.target(world.a) if entry.target else None
    url = reverse(name, kwargs=entry.kwargs(target) if target is not None else None)
    url += entry.query(target) if target is not None else ""
    response = client_as(world.user(role)).get(url)
    assert response.status_code == 200, url
    assert "no-store" in response["Cache-Control"], url


@pytest.mark.parametrize(
    ("content", "saved"),
    [(b"%PDF-1.4\n" + b"0" * 3_000_000, True), (b"PK\x03\x04" + b"0" * 3_000_000, False)],
    ids=["accepted", "refused"],
)
def test_upload_temp_files_are_removed_after_success_and_failure(world, client_as, settings, tmp_path, content, saved):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django spools uploads to a temp file.
    assert len(content) > django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    spool = tmp_path / "upload-tmp"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    upload = io.BytesIO(content)
    upload.name = "制度.pdf"
    station = world.a.station
    response = client_as(world.user("head")).post(
        reverse("stations:system-document-upload", kwargs={"pk": station.pk}),
        {"system": "training", "document": upload},
    )
    assert response.status_code == 302
    stored = SystemDocument.objects.filter(workstation=station, system="training").exclude(document="").exists()
    assert stored is saved
    assert list(spool.iterdir()) == []


def test_logout_removes_the_session(world, client_as):
    client = client_as(world.user("staff"))
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
