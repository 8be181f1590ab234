"""Delete audit entries older than the retention period (AUD-4); never below 180 days."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from stations.audit.log import purge_older_than
from stations.models import Role, User
from stations.roles import holds_role


class Command(BaseCommand):
    help = "Delete audit entries older than --days (default AUDIT_RETENTION_DAYS). Logs itself."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--actor", required=True, help="username of the audit administrator running it")

    def handle(self, *args, **options):
        days = options["days"] or settings.AUDIT_RETENTION_DAYS
        actor = User.objects.filter(username__iexact=options["actor"]).first()
        if actor is None or not holds_role(actor, Role.AUDIT_ADMIN):
            raise CommandError("只有审计管理员可以清理审计日志。")
        try:
            deleted = purge_older_than(actor=actor, days=days)
        except ValueError as exc:
            raise CommandError(
                f"审计日志至少保存 180 天且不少于配置的保存期（{settings.AUDIT_RETENTION_DAYS} 天）。"
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"已删除 {deleted} 条 {days} 天前的审计日志。"))
