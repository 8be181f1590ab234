"""Verify the audit log's hash chain (AUD-3): prints broken entries and exits non-zero if any."""

from django.core.management.base import BaseCommand, CommandError

from stations.audit.log import verify_chain
from stations.models import AuditEntry


class Command(BaseCommand):
    help = "Check that no audit entry was edited or removed from the middle of the chain."

    def handle(self, *args, **options):
        broken = verify_chain()
        total = AuditEntry.objects.count()
        if broken:
            raise CommandError(
                f"审计日志校验失败：{len(broken)} 条记录被篡改或断链（编号 {broken[:20]}），共 {total} 条。"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {total} 条，哈希链校验通过。"))
