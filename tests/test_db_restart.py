"""REL-4 (and REL-2): the database goes away while requests run.

Each request answers 200/302 or a plain 503, a write is all or nothing (a funding row always has its
audit entry and the reverse), and requests succeed again without restarting Django. On PostgreSQL
the server really drops the connections (`pg_terminate_backend` from a second connection, during a
loop of requests); on SQLite, which has no server to lose, the same loop injects OperationalError at
random points of the request (view, service between the row and its audit entry, session save).
"""

import itertools
import random
import threading
import time
from decimal import Decimal

import pytest
from django.core.signals import request_started
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse

from stations import services
from stations.audit.log import verify_chain
from stations.models import AuditEntry, Funding

pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = connection.vendor == "postgresql"


def _close_old_connections(**kwargs):
    # Like a real WSGI server (the test client leaves this out): drop broken or aged connections at
    # the start of each request; with CONN_HEALTH_CHECKS a dead reused connection is replaced.
    close_old_connections()


@pytest.fixture
def server_like_client(world):
    request_started.connect(_close_old_connections, dispatch_uid="rel4-close-old")
    client = Client(raise_request_exception=False)  # a 500 would show up as a 500, and fail
    client.force_login(world.user("head"))
    yield client
    request_started.disconnect(dispatch_uid="rel4-close-old")
    connection.close()  # possibly killed: let the test teardown reconnect


def _pg_connect():
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname=params["NAME"],
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        autocommit=True,
    )


def _terminate_others(killer) -> int:
    """Terminate every backend of the test database but the killer's own."""
    rows = killer.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchall()
    return len(rows)


def _check_nothing_half_written(markers_by_status):
    rows = set(Funding.objects.filter(source__startswith="rel4-").values_list("source", flat=True))
    audited = {
        entry.changes["source"][1]
        for entry in AuditEntry.objects.filter(action="workstation.funding")
        if str(entry.changes.get("source", [None, ""])[1]).startswith("rel4-")
    }
    assert rows == audited, "a funding row without its audit entry, or the reverse"
    # A 302 means committed; a 503 may only mean the reply was lost after the commit.
    assert set(markers_by_status.get(302, [])) <= rows
    assert verify_chain() == []
    return rows


def _recovers_within_ten_seconds(client, url):
    deadline = time.monotonic() + 10
    while True:
        if client.get(url).status_code == 200:
            return True
        assert time.monotonic() < deadline, "no successful request within 10 s of the outage"
        time.sleep(0.2)


def test_a_lost_connection_mid_service_leaves_nothing_and_the_next_request_works(world, server_like_client):
    """Deterministic: the connection dies between the funding row and its audit entry."""
    station = world.a.station
    url = reverse("stations:funding-add", kwargs={"pk": station.pk})
    original = services.audit

    def dying_audit(**kwargs):
        if POSTGRES:
            pid = connection.connection.info.backend_pid
            with _pg_connect() as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", [pid])
        else:
            raise OperationalError("disk I/O error")
        return original(**kwargs)

    services.audit = dying_audit
    try:
        response = server_like_client.post(url, {"year": "2024", "amount_yuan": "5", "source": "rel4-dead"})
    finally:
        services.audit = original
    assert response.status_code == 503
    assert "数据库暂时不可用" in response.content.decode()
    assert response["Retry-After"] == "10"
    # No restart: the very next request gets a fresh connection.
    ok = server_like_client.post(url, {"year": "2024", "amount_yuan": "6", "source": "rel4-alive"})
    assert ok.status_code == 302
    assert _check_nothing_half_written({302: ["rel4-alive"]}) == {"rel4-alive"}


def test_requests_during_database_outages_get_200_or_503_and_recover(world, server_like_client, monkeypatch):
    station = world.a.station
    detail = reverse("stations:workstation-detail", kwargs={"pk": station.pk})
    listing = reverse("stations:workstation-list")
    funding = reverse("stations:funding-add", kwargs={"pk": station.pk})
    statuses: dict[int, list[str]] = {}
    stop = threading.Event()
    kills = []

    if POSTGRES:

        def killer_loop():
            with _pg_connect() as killer:
                while not stop.is_set():
                    kills.append(_terminate_others(killer))
                    time.sleep(random.uniform(0.02, 0.25))

        killer = threading.Thread(target=killer_loop, daemon=True)
        killer.start()
    else:
        # No server to lose: fail at random points instead (view, service, session save).
        rng = random.Random(4)
        real_cursor = connection.cursor

        def flaky_cursor(*args, **kwargs):
            if rng.random() < 0.04:
                kills.append(1)
                raise OperationalError("database is locked")
            return real_cursor(*args, **kwargs)

        monkeypatch.setattr(connection, "cursor", flaky_cursor)

    try:
        for number in itertools.count():
            if number >= 120:
                break
            kind = number % 3
            if kind == 2:
                marker = f"rel4-{number}"
                response = server_like_client.post(
                    funding, {"year": "2024", "amount_yuan": str(Decimal(number)), "source": marker}
                )
                assert response.status_code in (302, 503), response.status_code
            else:
                marker = ""
                response = server_like_client.get(detail if kind else listing)
                assert response.status_code in (200, 503), response.status_code
            if response.status_code == 503:
                assert response.content.decode() == "数据库暂时不可用，请稍后重试。"
            statuses.setdefault(response.status_code, []).append(marker)
    finally:
        stop.set()
        if POSTGRES:
            killer.join()
        else:
            monkeypatch.undo()

    assert sum(kills) > 0, "the outage never happened"
    assert 503 in statuses and (200 in statuses or 302 in statuses)
    _recovers_within_ten_seconds(server_like_client, listing)
    assert (
        server_like_client.post(funding, {"year": "2024", "amount_yuan": "1", "source": "rel4-after"}).status_code
        == 302
    )
    statuses.setdefault(302, []).append("rel4-after")
    _check_nothing_half_written(statuses)
