"""Celery tasks of the stations app (autodiscovered by config.celery)."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def run_export_job(job_id: int) -> None:
    """Run one export job; state, progress and errors are recorded on the ExportJob row."""
    from .jobs import export_job_run

    export_job_run(job_id)


@shared_task(ignore_result=True)
def purge_expired_exports() -> int:
    from .jobs import purge_expired_jobs

    return purge_expired_jobs()
