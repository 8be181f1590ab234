"""`manage.py backup <dir>`: database dump, media archive and a SHA-256 manifest (REL-1)."""

from django.core.management.base import BaseCommand, CommandError

from stations.audit.log import audit
from stations.backup.archive import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc or the SQLite backup API) and MEDIA_ROOT into an empty directory."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        audit(actor=None, username="manage.py", action="system.backup", object_repr=str(directory)[:200])
        try:
            result = backup(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = result.manifest["tables"]
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{result.directory}（{len(tables)} 张表，{sum(tables.values())} 行，"
                f"{result.total_bytes / 1024:.0f} KB，用时 {result.seconds:.1f} 秒）"
            )
        )
