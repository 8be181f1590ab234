"""Celery tasks of the mentoring app (autodiscovered by config.celery)."""

from celery import shared_task

from .notices import notify_due as _notify_due


@shared_task(name="mentoring.tasks.notify_due", ignore_result=True)
def notify_due() -> int:
    """The daily reminder of items falling due (beat schedule, CELERY_BEAT_SCHEDULE)."""
    return _notify_due()
