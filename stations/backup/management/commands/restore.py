"""`manage.py restore <dir>`: verify the manifest and checksums, then restore database and media (REL-1)."""

from django.core.management.base import BaseCommand, CommandError

from stations.audit.log import audit
from stations.backup.archive import BackupError, restore, verify


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` after verifying its manifest; replaces all current data."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--verify-only", action="store_true", help="Only check the manifest and checksums.")

    def handle(self, *args, directory, interactive=True, verify_only=False, **options):
        try:
            manifest = verify(directory)
            if verify_only:
                self.stdout.write(self.style.SUCCESS(f"校验通过：{directory}（{manifest['created_at']}）"))
                return
            if interactive:
                answer = input(f"将用 {manifest['created_at']} 的备份覆盖当前全部数据和附件。输入 yes 继续：")
                if answer.strip().lower() != "yes":
                    raise CommandError("已取消，未做任何更改。")
            restore(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        audit(
            actor=None,
            username="manage.py",
            action="system.restore",
            object_repr=str(directory)[:200],
            changes={"backup_created_at": manifest["created_at"]},
        )
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{directory}（清单校验、行数核对均通过）"))
