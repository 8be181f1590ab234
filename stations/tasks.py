"""Celery tasks of the stations app itself (autodiscovered by config.celery)."""

from celery import shared_task

from . import figure_cache


@shared_task(name="stations.tasks.refresh_figure_snapshot", ignore_result=True)
def refresh_figure_snapshot(name: str, key: list) -> None:
    """Recompute one stale figure snapshot (stations.figure_cache)."""
    figure_cache.refresh(name, key)
