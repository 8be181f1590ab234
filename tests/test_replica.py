"""Report reads on the read replica (issue 15 §5): a second database alias in the suite (a test mirror of
the primary) shows which connection each query used. Dashboards and export jobs read from the replica
when one is configured; writes, reads inside a transaction and everything else stay on the primary."""

from decimal import Decimal

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_side, make_users
from stations.models import ExportJob, ExportJobState, Funding, Workstation
from stations.replica import REPLICA, ReportReplicaRouter, report_reads
from stations.reports import jobs

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture
def side():
    side = make_side(tag="复")
    make_users(side)
    Funding.objects.create(workstation=side.station, year=2025, amount_yuan=Decimal(43210))
    return side


def captured():
    return CaptureQueriesContext(connections["default"]), CaptureQueriesContext(connections[REPLICA])


def test_dashboard_figures_are_read_from_the_replica(side, client, settings):
    settings.REPORTS_READ_REPLICA = True
    client.force_login(side.users["prov"])
    primary, replica = captured()
    with primary, replica:
        page = client.get(reverse("reports:dashboard"), {"period": "2025"}).content.decode()
    assert "43,210" in page  # the funding figure, read from the replica
    assert any("stations_funding" in q["sql"] for q in replica.captured_queries)
    assert not any("stations_funding" in q["sql"] for q in primary.captured_queries)


def test_without_a_replica_everything_reads_the_primary(side, client, settings):
    settings.REPORTS_READ_REPLICA = False
    client.force_login(side.users["prov"])
    primary, replica = captured()
    with primary, replica:
        assert client.get(reverse("reports:dashboard"), {"period": "2025"}).status_code == 200
    assert replica.captured_queries == []
    assert any("stations_funding" in q["sql"] for q in primary.captured_queries)


def test_export_job_builds_from_the_replica_and_records_on_the_primary(side, settings):
    settings.REPORTS_READ_REPLICA = True
    job = ExportJob.objects.create(
        report="province-summary",
        title="省级汇总",
        requested_by=side.users["prov"],
        params={"year": "2025", "org": side.province.pk},
    )
    primary, replica = captured()
    with primary, replica:
        job = jobs.export_job_run(job.pk)
    assert job.state == ExportJobState.DONE, job.error
    assert any("stations_funding" in q["sql"] for q in replica.captured_queries)
    assert any(q["sql"].startswith("UPDATE") for q in primary.captured_queries)
    assert not any(q["sql"].startswith(("UPDATE", "INSERT")) for q in replica.captured_queries)


def test_reads_inside_a_transaction_see_their_own_writes_on_the_primary(side, settings):
    settings.REPORTS_READ_REPLICA = True
    with report_reads():
        assert ReportReplicaRouter().db_for_read(Workstation) == REPLICA
        with transaction.atomic():
            assert ReportReplicaRouter().db_for_read(Workstation) is None
    assert ReportReplicaRouter().db_for_read(Workstation) is None  # outside report reads


def test_the_replica_is_never_written_or_migrated():
    router = ReportReplicaRouter()
    assert router.db_for_write(Workstation) == "default"
    assert router.allow_migrate(REPLICA, "stations") is False
    assert router.allow_migrate("default", "stations") is True
