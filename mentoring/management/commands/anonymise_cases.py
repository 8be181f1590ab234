"""Anonymise closed cases past the retention period (DATA-5); run daily from cron. Audited per case."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from mentoring.retention import anonymise_due_cases, due_for_anonymising


class Command(BaseCommand):
    help = "Anonymise closed youth cases whose last follow-up is older than CASE_RETENTION_YEARS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the cases that are due.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        years = settings.CASE_RETENTION_YEARS
        if options["dry_run"]:
            count = due_for_anonymising(today=today).count()
            self.stdout.write(f"到期应匿名化的已结案对象：{count} 人（保存期 {years} 年）。")
            return
        count = anonymise_due_cases(today=today)
        self.stdout.write(self.style.SUCCESS(f"已匿名化 {count} 名已结案对象（保存期 {years} 年），统计数不变。"))
