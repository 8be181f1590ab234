"""Background export jobs: the eager path, states, idempotence, checked downloads, expiry, a real worker."""

import io
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from stations.exports import REGISTRY, Report
from stations.models import AuditEntry, ExportJob, ExportJobState, Funding
from stations.reports import jobs, services

BASE_DIR = Path(settings.BASE_DIR)


def start(client, world, year="2025"):
    return client.post(
        reverse("reports:job-start", kwargs={"slug": "province-summary"}),
        {"year": year, "org": world.a.province.pk},
    )


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content), read_only=True)


@pytest.fixture
def failing_report():
    class Broken(Report):
        slug = "test-broken"
        title = "坏报表"
        capability = "reports.export_aggregate"

        def build(self, *, user, params):
            raise RuntimeError("磁盘已满")

    REGISTRY[Broken.slug] = Broken
    yield Broken
    REGISTRY.pop(Broken.slug)


def test_eager_job_runs_in_the_request_and_downloads(world, client_as, django_capture_on_commit_callbacks):
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=1200)
    client = client_as(world.user("prov"))
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, world)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job-detail", kwargs={"pk": job.pk})
    assert job.state == ExportJobState.DONE
    assert job.progress == 100
    assert job.expires_at == job.finished_at + timedelta(hours=settings.EXPORT_TTL_HOURS)
    assert Path(job.file.path).is_relative_to(Path(settings.MEDIA_ROOT))

    page = client.get(reverse("reports:job-detail", kwargs={"pk": job.pk}))
    assert "已完成" in page.content.decode()
    assert f"{world.a.province.name}2025年工作情况汇总表" in page.content.decode()
    assert reverse("reports:job-download", kwargs={"pk": job.pk}) in page.content.decode()

    download = client.get(reverse("reports:job-download", kwargs={"pk": job.pk}))
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    book = workbook(b"".join(download.streaming_content))
    totals = list(book["合计"].iter_rows(values_only=True))
    column = totals[0].index("到位经费（元）")
    assert totals[1][column] == 1200
    assert AuditEntry.objects.filter(action="export.download", actor=world.user("prov")).count() == 1
    assert AuditEntry.objects.filter(action="export.job_start").count() == 1


def test_progress_partial_polls_while_running_and_stops_when_done(world, client_as):
    client = client_as(world.user("prov"))
    job = ExportJob.objects.create(
        report="province-summary", title="汇总", requested_by=world.user("prov"), state="running", progress=40
    )
    partial = client.get(reverse("reports:job-progress", kwargs={"pk": job.pk})).content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert "40%" in partial
    assert "<script" not in partial
    ExportJob.objects.filter(pk=job.pk).update(state="done", progress=100)
    partial = client.get(reverse("reports:job-progress", kwargs={"pk": job.pk})).content.decode()
    assert "hx-trigger" not in partial
    assert "已完成" in partial


def test_crash_marks_the_job_failed_with_the_error(world, failing_report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_start(actor=world.user("county"), report="test-broken", params={})
    job.refresh_from_db()
    assert job.state == ExportJobState.FAILED
    assert "磁盘已满" in job.error
    assert not job.file


def test_rerunning_a_done_job_does_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_start(
            actor=world.user("prov"), report="province-summary", params={"year": "2025", "org": world.a.province.pk}
        )
    job.refresh_from_db()
    first = (job.file.name, job.finished_at)
    again = jobs.export_job_run(job.pk)
    assert again.state == ExportJobState.DONE
    assert (again.file.name, again.finished_at) == first
    assert ExportJob.objects.count() == 1


def test_job_whose_requester_lost_the_capability_fails(world):
    user = world.user("prov")
    job = ExportJob.objects.create(report="province-summary", title="汇总", requested_by=user, params={"year": "2025"})
    user.role = "county_officer"
    user.org_unit = world.a.county
    user.save()
    job = jobs.export_job_run(job.pk)
    assert job.state == ExportJobState.FAILED
    assert "无权" in job.error


def test_only_the_requester_downloads(world, client_as):
    from stations.reports.tests.access import finished_job

    job = finished_job(world.a)
    other = world.user("prov").__class__.objects.create(
        username="prov2", role="province_officer", org_unit=world.a.province, must_change_password=False
    )
    assert client_as(other).get(reverse("reports:job-download", kwargs={"pk": job.pk})).status_code == 404
    county = client_as(world.user("county"))
    assert county.get(reverse("reports:job-detail", kwargs={"pk": job.pk})).status_code == 403


def test_expired_file_is_gone_and_deleted(world, client_as):
    from stations.reports.tests.access import finished_job

    job = finished_job(world.a)
    path = Path(job.file.path)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client_as(world.user("prov")).get(reverse("reports:job-download", kwargs={"pk": job.pk}))
    assert response.status_code == 410
    assert "过期" in response.content.decode()
    assert not path.exists()
    job.refresh_from_db()
    assert not job.file


def test_starting_for_a_unit_out_of_scope_is_404_and_creates_nothing(world, client_as):
    client = client_as(world.user("prov"))
    response = client.post(
        reverse("reports:job-start", kwargs={"slug": "province-summary"}), {"year": "2025", "org": world.z.province.pk}
    )
    assert response.status_code == 404
    assert ExportJob.objects.count() == 0


def test_job_list_shows_only_own_jobs_with_search_and_fixed_queries(world, client_as, django_assert_max_num_queries):
    from stations.tests.factories import UserFactory

    user = world.user("prov")
    other = UserFactory(role="province_officer", org_unit=world.a.province)
    for index in range(30):
        ExportJob.objects.create(report="province-summary", title=f"汇总{index}", requested_by=user)
    ExportJob.objects.create(report="province-summary", title="别人的汇总", requested_by=other)
    client = client_as(user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:job-list")).content.decode()
    assert "共 30 条" in page
    assert "别人的汇总" not in page
    page = client.get(reverse("reports:job-list"), {"q": "汇总7"}).content.decode()
    assert "共 1 条" in page


def _reset_celery_pools(app):
    """Forget the app's connection and producer pools (not close them: kombu keeps producer pools in a
    registry per broker URL, and eager calls acquire a producer too)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_runs_the_export(world, tmp_path):
    """A `celery -A config worker` subprocess, Redis as broker, the same database as this test."""
    from config.celery import app

    connection = connections["default"]
    vendor = connection.vendor
    saved_conn, saved_name = None, connection.settings_dict["NAME"]
    if vendor == "sqlite":
        # The test database lives in memory: move to a file both processes can open.
        saved_conn = connection.connection
        connection.connection = None
        connection.settings_dict["NAME"] = str(tmp_path / "worker.sqlite3")
        call_command("migrate", verbosity=0)
        from conftest import make_side, make_users

        side = make_side(tag="工")
        make_users(side)
        user, province = side.users["prov"], side.province
        database_url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    else:
        user, province = world.user("prov"), world.a.province
        side = world.a
        s = connection.settings_dict
        host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        database_url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{host}/{s['NAME']}"
    Funding.objects.create(workstation=side.station, year=2025, amount_yuan=777)

    queue = f"reports-test-{uuid.uuid4().hex[:10]}"
    broker = "redis://127.0.0.1:6379/11"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-P", "solo", "-l", "info"]
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [*command, "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    old = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=broker, task_default_queue=queue)
    _reset_celery_pools(app)  # an earlier eager call may have made pools for the default (empty) broker
    try:
        # A message published before the worker has bound its queue would be dropped by Redis routing.
        client = redis.Redis.from_url(broker)
        deadline = time.monotonic() + 60
        while not client.exists(f"_kombu.binding.{queue}") and worker.poll() is None:
            assert time.monotonic() < deadline, "the worker did not start within 60 s"
            time.sleep(0.2)
        job = services.export_job_start(
            actor=user, report="province-summary", params={"year": "2025", "org": province.pk}
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished or worker.poll() is not None:
                break
            time.sleep(0.5)
        state, error = job.state, job.error
        content = Path(job.file.path).read_bytes() if job.file else b""
    finally:
        app.conf.update(**old)
        _reset_celery_pools(app)
        worker.terminate()
        try:
            output = worker.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0]
        if vendor == "sqlite":
            connection.close()
            connection.settings_dict["NAME"] = saved_name
            connection.connection = saved_conn
    log = output.decode(errors="replace")[-3000:]
    assert state == ExportJobState.DONE, (state, error, log)
    rows = list(workbook(content)["合计"].iter_rows(values_only=True))
    assert rows[1][rows[0].index("到位经费（元）")] == 777
    assert "Traceback" not in log, log


def test_progress_is_recorded_while_the_report_builds(world):
    seen = []

    class Slow(Report):
        slug = "test-slow"
        title = "慢报表"
        capability = "reports.export_aggregate"

        def build(self, *, user, params):
            seen.append(ExportJob.objects.get().state)
            self.progress(50)
            seen.append(ExportJob.objects.get().progress)
            from stations.exports import ReportFile

            return ReportFile(b"data", "slow.txt", "text/plain")

    REGISTRY[Slow.slug] = Slow
    try:
        job = ExportJob.objects.create(report="test-slow", title="慢", requested_by=world.user("county"))
        job = jobs.export_job_run(job.pk)
    finally:
        REGISTRY.pop(Slow.slug)
    assert seen == [ExportJobState.RUNNING, 50]
    assert job.state == ExportJobState.DONE
    assert Path(job.file.path).read_bytes() == b"data"


def test_purge_deletes_expired_files_only(world):
    from stations.reports.tasks import purge_expired_exports
    from stations.reports.tests.access import finished_job

    old, fresh = finished_job(world.a), finished_job(world.a)
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    ExportJob.objects.filter(pk=fresh.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    assert purge_expired_exports.delay().get() == 1
    assert not Path(old.file.path).exists()
    assert Path(fresh.file.path).exists()


# --- a job whose worker is gone is failed with the reason, never left "running" (issue 15 §2) ---


def test_job_running_past_the_worker_time_limit_is_failed_when_its_owner_looks(world, client_as, settings):
    settings.EXPORT_JOB_TIME_LIMIT = 600
    user = world.user("prov")
    long_ago = timezone.now() - timedelta(seconds=600 + 61)
    lost = ExportJob.objects.create(
        report="province-summary",
        title="省级汇总",
        requested_by=user,
        state=ExportJobState.RUNNING,
        progress=65,
        started_at=long_ago,
    )
    alive = ExportJob.objects.create(
        report="province-summary",
        title="省级汇总",
        requested_by=user,
        state=ExportJobState.RUNNING,
        progress=30,
        started_at=timezone.now() - timedelta(seconds=120),
    )
    client = client_as(user)
    page = client.get(reverse("reports:job-list")).content.decode()
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.state == ExportJobState.FAILED and lost.finished_at is not None
    assert alive.state == ExportJobState.RUNNING
    assert "后台工作进程在生成过程中退出" in page
    detail = client.get(reverse("reports:job-detail", kwargs={"pk": lost.pk})).content.decode()
    assert "失败" in detail and "请重新导出" in detail


def test_job_watched_on_its_page_is_failed_once_its_worker_is_gone(world, client_as, settings):
    settings.EXPORT_JOB_TIME_LIMIT = 60
    user = world.user("prov")
    job = ExportJob.objects.create(
        report="province-summary",
        title="省级汇总",
        requested_by=user,
        state=ExportJobState.RUNNING,
        progress=65,
        started_at=timezone.now() - timedelta(seconds=125),
    )
    partial = client_as(user).get(reverse("reports:job-progress", kwargs={"pk": job.pk})).content.decode()
    job.refresh_from_db()
    assert job.state == ExportJobState.FAILED
    assert 'data-state="failed"' in partial and "65%" not in partial
    assert "生成失败：后台工作进程在生成过程中退出" in partial


def test_queued_job_no_worker_takes_is_failed_with_the_reason(world, settings):
    settings.EXPORT_QUEUE_TIMEOUT_MINUTES = 30
    user = world.user("prov")
    old = ExportJob.objects.create(
        report="province-summary",
        title="省级汇总",
        requested_by=user,
        created_at=timezone.now() - timedelta(minutes=31),
    )
    fresh = ExportJob.objects.create(report="province-summary", title="省级汇总", requested_by=user)
    from stations.reports.tasks import fail_lost_export_jobs

    assert fail_lost_export_jobs.delay().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.state == ExportJobState.FAILED and "30 分钟内没有后台工作进程处理该任务" in old.error
    assert fresh.state == ExportJobState.QUEUED


def test_job_stopped_by_the_worker_time_limit_fails_with_a_chinese_reason(world, settings):
    from celery.exceptions import SoftTimeLimitExceeded

    settings.EXPORT_JOB_TIME_LIMIT = 900

    class Endless(Report):
        slug = "test-endless"
        title = "超时报表"
        capability = "reports.export_aggregate"

        def build(self, *, user, params):
            raise SoftTimeLimitExceeded()

    REGISTRY[Endless.slug] = Endless
    try:
        job = ExportJob.objects.create(report="test-endless", title="超时", requested_by=world.user("county"))
        job = jobs.export_job_run(job.pk)
    finally:
        REGISTRY.pop(Endless.slug)
    assert job.state == ExportJobState.FAILED
    assert job.error == "超过后台任务时限（900 秒）：请缩小导出范围后重试。"


def test_beat_schedule_runs_the_lost_job_sweep_and_the_purge():
    from config.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {
        "stations.tasks.fail_lost_export_jobs",
        "stations.tasks.purge_expired_exports",
        "mentoring.tasks.notify_due",  # reminders of visits and follow-ups falling due
        "stations.notifications.tasks.purge_read_notifications",
    }
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)
