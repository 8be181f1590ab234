"""Remind station users of contacts, reassessments and follow-ups falling due; run daily (Celery beat
runs `mentoring.tasks.notify_due` too). Safe to run twice: each reminder is written once."""

from django.core.management.base import BaseCommand

from mentoring.notices import notify_due


class Command(BaseCommand):
    help = "Create in-app reminders for visits, reassessments and follow-ups falling due (idempotent)."

    def handle(self, *args, **options):
        count = notify_due()
        self.stdout.write(self.style.SUCCESS(f"已生成 {count} 条到期提醒。"))
