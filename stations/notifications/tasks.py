"""Celery tasks of notifications (autodiscovered by config.celery)."""

from celery import shared_task

from .services import notifications_purge


@shared_task(name="stations.notifications.tasks.purge_read_notifications", ignore_result=True)
def purge_read_notifications() -> int:
    """Daily (beat schedule): read notifications past NOTIFICATION_RETENTION_DAYS are deleted."""
    return notifications_purge()
