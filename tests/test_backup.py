"""REL-1: backup and restore with a verified manifest (runs on SQLite and on PostgreSQL).

Transactional tests flush every table afterwards, data migrations included; pytest-django runs them
after all others in collection order, so they live in tests/ after tests/e2e/ (which needs the
activity types of a data migration)."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from stations.audit.log import audit, verify_chain
from stations.backup.archive import MANIFEST, MEDIA_ARCHIVE, sha256_of, table_counts
from stations.models import AuditEntry, OrgUnit, Workstation
from stations.tests.factories import WorkstationFactory
from stations.tests.test_uploads import png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

AUDIT_TABLE = AuditEntry._meta.db_table


def seed():
    stations = WorkstationFactory.create_batch(3)
    stations[0].logo_photo.save("logo.png", ContentFile(png_bytes()), save=True)
    for station in stations:
        audit(actor=None, username="seed", action="test.seed", obj=station)
    return stations


def media_checksums(settings) -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): sha256_of(p) for p in sorted(root.rglob("*")) if p.is_file()}


def test_backup_then_restore_brings_back_every_row_and_file(settings, tmp_path):
    stations = seed()
    media_before = media_checksums(settings)
    assert len(media_before) == 1
    target = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup", str(target), stdout=out)
    assert "备份完成" in out.getvalue()
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tables"][Workstation._meta.db_table] == 3
    assert manifest["tables"][AUDIT_TABLE] == 4  # three seeded entries and the backup's own
    for name, entry in manifest["files"].items():
        assert sha256_of(target / name) == entry["sha256"]

    # Damage: rows deleted, a file removed, a stray file added, a row added.
    Workstation.objects.filter(pk__in=[s.pk for s in stations[1:]]).delete()
    OrgUnit.objects.create(code="999999", name="误加单位", kind="county")
    Path(stations[0].logo_photo.path).unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("x")
    assert table_counts()[Workstation._meta.db_table] == 1

    call_command("restore", str(target), interactive=False, stdout=io.StringIO())

    counts = table_counts()
    for table, expected in manifest["tables"].items():
        extra = 1 if table == AUDIT_TABLE else 0  # the restore is itself logged
        assert counts[table] == expected + extra, table
    assert media_checksums(settings) == media_before
    assert set(Workstation.objects.values_list("pk", flat=True)) == {s.pk for s in stations}
    assert not OrgUnit.objects.filter(code="999999").exists()
    assert AuditEntry.objects.order_by("-pk").first().action == "system.restore"
    assert verify_chain() == []


def test_a_tampered_backup_is_refused_before_anything_changes(settings, tmp_path):
    stations = seed()
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())
    Workstation.objects.filter(pk=stations[2].pk).delete()

    archive = target / MEDIA_ARCHIVE
    data = bytearray(archive.read_bytes())
    data[600] ^= 0x01  # one bit inside the archived file
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="SHA-256 校验值与清单不符"):
        call_command("restore", str(target), interactive=False, stdout=io.StringIO())
    assert Workstation.objects.count() == 2  # nothing restored

    # Re-computing the checksum in the manifest does not help: the manifest is signed.
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][MEDIA_ARCHIVE]["sha256"] = sha256_of(archive)
    (target / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match="签名不符"):
        call_command("restore", str(target), interactive=False, stdout=io.StringIO())
    assert Workstation.objects.count() == 2

    (target / MANIFEST).unlink()
    with pytest.raises(CommandError, match="没有备份清单"):
        call_command("restore", str(target), interactive=False, stdout=io.StringIO())


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(tmp_path), stdout=io.StringIO())
