"""Celery tasks of the reports package (autodiscovered by config.celery).

The names are explicit and keep the old module path, so jobs queued before the move still resolve.
"""

from celery import shared_task

from .jobs import export_job_run, fail_lost_jobs, purge_expired_jobs


@shared_task(name="stations.tasks.run_export_job", acks_late=True, ignore_result=True)
def run_export_job(job_id: int) -> None:
    """Run one export job; state, progress and errors are recorded on the ExportJob row."""
    export_job_run(job_id)


@shared_task(name="stations.tasks.purge_expired_exports", ignore_result=True)
def purge_expired_exports() -> int:
    return purge_expired_jobs()


@shared_task(name="stations.tasks.fail_lost_export_jobs", ignore_result=True)
def fail_lost_export_jobs() -> int:
    """Mark failed the jobs whose worker died (beat schedule, every five minutes)."""
    return fail_lost_jobs()


@shared_task(name="stations.tasks.refresh_figure_snapshot", ignore_result=True)
def refresh_figure_snapshot(name: str, key: list) -> None:
    """Recompute one stale figure snapshot (stations.figure_cache)."""
    from stations import figure_cache

    figure_cache.refresh(name, key)
