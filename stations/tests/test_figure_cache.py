"""Figures above the county kept between requests (stations.figure_cache): exact while no data changed,
recomputed when it did, shown with their time while a worker catches up; writes of any kind count.

These tests commit (transactional database): the cache follows committed changes."""

import pickle
import threading
import time
from datetime import timedelta
from unittest import mock

import psycopg
import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from stations import figure_cache
from stations.models import FigureChange, FigureSnapshot, Funding, Workstation
from stations.tests.factories import WorkstationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def funding_card(client, user) -> str:
    """The dashboard's funding figure as the page shows it, and the as-of line."""
    client.force_login(user)
    page = client.get(reverse("reports:dashboard"), {"period": "2025"}).content.decode()
    card = page[page.index('data-testid="kpi-stations.funding_yuan"') :]
    value = card.split('class="kpi">', 1)[1].split("<small", 1)[0]
    value = value.split(">", 1)[1] if value.startswith("<a") else value
    as_of = page[page.index('data-testid="as-of"') :].split("</p>", 1)[0] if 'data-testid="as-of"' in page else ""
    return "".join(ch for ch in value.split("</", 1)[0] if ch.isdigit()), as_of


@pytest.fixture
def province_officer(world):
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=800)
    return world.user("prov")


def test_province_dashboard_is_kept_and_shows_its_time(province_officer, client):
    value, as_of = funding_card(client, province_officer)
    assert value == "800"
    assert "数据截至" in as_of and "其后录入的记录将在数分钟内计入" not in as_of
    assert FigureSnapshot.objects.filter(key__contains="dashboard_snapshot:").count() == 1
    with mock.patch("stations.reports.dashboards.build_summary", side_effect=AssertionError("recomputed")):
        assert funding_card(client, province_officer)[0] == "800"


def test_a_committed_write_makes_the_next_page_exact(province_officer, world, client):
    assert funding_card(client, province_officer)[0] == "800"
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=200)
    assert funding_card(client, province_officer)[0] == "1000"


def test_writes_without_signals_count_too(province_officer, world, client):
    """A queryset update or a bulk create sends no save signal: the scoped querysets record them."""
    assert funding_card(client, province_officer)[0] == "800"
    Funding.objects.filter(workstation=world.a.station).update(amount_yuan=500)
    assert funding_card(client, province_officer)[0] == "500"
    Funding.objects.bulk_create([Funding(workstation=world.b.station, year=2025, amount_yuan=100)])
    assert funding_card(client, province_officer)[0] == "600"


def test_signing_in_or_reading_changes_no_figure(province_officer, client):
    funding_card(client, province_officer)
    before = figure_cache.generation()
    province_officer.last_login = timezone.now()
    province_officer.save()
    client.get(reverse("stations:workstation-list"))
    assert figure_cache.generation() == before


def test_a_county_dashboard_is_kept_with_its_time_and_follows_new_records(world, client):
    """As a city's and the province's (docs/decisions.md): the county's figures are kept between requests,
    the page says as of when, and a new record is counted (without a worker, in the request)."""
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=300)
    value, as_of = funding_card(client, world.user("county"))
    assert (value, "数据截至" in as_of) == ("300", True)
    county_keys = [key for key in FigureSnapshot.objects.values_list("key", flat=True) if "dashboard" in key]
    assert len(county_keys) == 1
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=50)
    assert funding_card(client, world.user("county"))[0] == "350"


def test_with_a_worker_a_stale_dashboard_shows_its_time_and_one_refresh_is_queued(
    province_officer, world, client, settings
):
    funding_card(client, province_officer)
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=200)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.FIGURE_SNAPSHOT_REFRESH_SECONDS = 0
    with mock.patch("stations.figure_cache.current_app.send_task") as delay:
        value, as_of = funding_card(client, province_officer)
        assert value == "800"  # the kept figure, with its time, until the worker is done
        assert "其后录入的记录将在数分钟内计入" in as_of
        funding_card(client, province_officer)
    delay.assert_called_once()
    name, key = delay.call_args.kwargs["args"]
    figure_cache.refresh(name, key)  # what the worker runs
    value, as_of = funding_card(client, province_officer)
    assert value == "1000"
    assert "其后录入的记录将在数分钟内计入" not in as_of
    assert FigureSnapshot.objects.get().refresh_queued_at is None


def test_a_snapshot_is_recomputed_at_most_once_in_the_refresh_interval(province_officer, world, client, settings):
    funding_card(client, province_officer)
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=200)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.FIGURE_SNAPSHOT_REFRESH_SECONDS = 60
    with mock.patch("stations.figure_cache.current_app.send_task") as delay:
        assert funding_card(client, province_officer)[0] == "800"
        delay.assert_not_called()
        FigureSnapshot.objects.update(computed_at=timezone.now() - timedelta(seconds=61))
        assert funding_card(client, province_officer)[0] == "800"
        delay.assert_called_once()


def test_an_old_snapshot_is_shown_with_its_time_while_the_worker_refreshes_it(
    province_officer, world, client, settings
):
    """The first visitor after a quiet night does not wait seconds for a province's aggregates: they see
    yesterday's figures, marked with their time, and the worker brings them up to date."""
    funding_card(client, province_officer)
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=200)
    FigureSnapshot.objects.update(computed_at=timezone.now() - timedelta(hours=14))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.FIGURE_SNAPSHOT_WORKER_WAIT_SECONDS = 900
    with mock.patch("stations.figure_cache.current_app.send_task") as delay:
        value, as_of = funding_card(client, province_officer)
        assert value == "800" and "其后录入的记录将在数分钟内计入" in as_of
        assert funding_card(client, province_officer)[0] == "800"  # one refresh queued, not two
    delay.assert_called_once()


def test_a_refresh_no_worker_did_is_computed_by_the_request(province_officer, world, client, settings):
    """A refresh queued longer ago than the worker wait and still not done: nobody is doing it."""
    funding_card(client, province_officer)
    Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=200)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.FIGURE_SNAPSHOT_WORKER_WAIT_SECONDS = 900
    FigureSnapshot.objects.update(
        computed_at=timezone.now() - timedelta(hours=1), refresh_queued_at=timezone.now() - timedelta(seconds=899)
    )
    with mock.patch("stations.figure_cache.current_app.send_task") as delay:
        assert funding_card(client, province_officer)[0] == "800"  # queued 15 minutes ago less a second
        FigureSnapshot.objects.update(refresh_queued_at=timezone.now() - timedelta(seconds=901))
        assert funding_card(client, province_officer)[0] == "1000"
    delay.assert_not_called()


def test_inside_a_transaction_that_wrote_figures_the_cache_is_bypassed(province_officer, world):
    from stations.figures import Period
    from stations.reports.dashboards import build_dashboard

    province = world.a.province
    build_dashboard(root=province, period=Period(2025))
    with transaction.atomic():
        Funding.objects.create(workstation=world.b.station, year=2025, amount_yuan=200)
        inside = build_dashboard(root=province, period=Period(2025))
        funding = next(i for i in inside["indicators"] if i.figure.key == "stations.funding_yuan")
        assert funding.value == 1000
    assert FigureChange.objects.exists()


def test_changes_are_pruned(world):
    first = figure_cache.generation()
    for _ in range(figure_cache.PRUNE_EVERY + 1):
        Workstation.objects.filter(pk=world.a.station.pk).update(name=world.a.station.name)
    assert figure_cache.generation() >= first + figure_cache.PRUNE_EVERY
    assert FigureChange.objects.count() < figure_cache.PRUNE_EVERY


def test_province_activity_statistics_are_kept_and_follow_a_new_activity(world, client):
    from activities.tests.factories import activity

    def sessions() -> str:
        page = client.get(reverse("activities:activity-stats"), {"period": "2025"}).content.decode()
        assert "数据截至" in page
        totals = page[page.index('data-testid="stats-totals"') :]
        return totals.split('class="fs-5">', 1)[1].split("<", 1)[0]

    def body_rendered() -> bool:
        response = client.get(reverse("activities:activity-stats"), {"period": "2025"})
        return "activities/_stats_body.html" in [t.name for t in response.templates]

    activity(world.a.station, held_on=timezone.datetime(2025, 3, 10).date())
    client.force_login(world.user("prov"))
    assert sessions() == "1"
    assert FigureSnapshot.objects.filter(key__contains="unit_stats_snapshot").exists()
    # the same snapshot: its tables are not rendered again (the body is kept with the snapshot's time)
    assert not body_rendered()
    activity(world.b.station, held_on=timezone.datetime(2025, 4, 10).date())
    assert sessions() == "2"
    assert not body_rendered()
    # the city's officer gets the body of the city's own snapshot, not the province's
    client.force_login(world.user("city"))
    assert sessions() == "1"


@pytest.mark.parametrize("officer", ["county", "prov"])
def test_unit_activity_list_totals_are_kept_and_count_the_rows(world, client, officer):
    """A county's or province's unfiltered list counts every year of its activities: kept between
    requests, with its time, and following a new activity (recomputed in the request without a broker)."""
    from activities.tests.factories import activity

    def shown() -> tuple[str, int]:
        page = client.get(reverse("activities:activity-list"), {"period": "2025"}).content.decode()
        assert "数据截至" in page
        totals = page[page.index('data-testid="list-totals"') :]
        return totals.split('class="fs-5">', 1)[1].split("<", 1)[0], page.count('data-testid="activity-row"')

    activity(world.a.station, held_on=timezone.datetime(2025, 3, 10).date())
    client.force_login(world.user(officer))
    assert shown() == ("1", 1)
    second = WorkstationFactory(county=world.a.county) if officer == "county" else world.b.station
    activity(second, held_on=timezone.datetime(2025, 4, 10).date())
    assert shown() == ("2", 2)
    filtered = client.get(reverse("activities:activity-list"), {"period": "2025", "q": "theory"}).content.decode()
    assert "数据截至" not in filtered  # a filtered list computes its totals in the request


def test_the_worker_knows_the_refresh_task_by_the_name_the_cache_sends():
    from config.celery import app
    from stations.reports.tasks import refresh_figure_snapshot

    assert refresh_figure_snapshot.name == figure_cache.REFRESH_TASK
    assert figure_cache.REFRESH_TASK in app.tasks


def test_province_home_units_table_is_kept_and_follows_a_change(world, client):
    from stations.models import StationStatus

    def active_cell() -> str:
        page = client.get(reverse("stations:home")).content.decode()
        table = page[page.index('data-testid="unit-overview"') :]
        assert "数据截至" in table
        return table

    client.force_login(world.user("prov"))
    before = active_cell()
    assert FigureSnapshot.objects.filter(key__contains="overview_snapshot").exists()
    assert world.a.city.name in before and world.b.city.name in before
    Workstation.objects.filter(pk=world.b.station.pk).update(status=StationStatus.CLOSED)
    snapshot = FigureSnapshot.objects.get(key__contains="overview_snapshot")
    active_cell()
    assert FigureSnapshot.objects.get(key__contains="overview_snapshot").generation > snapshot.generation


calls = []


@figure_cache.builder
def counted_snapshot(value):
    """A builder that records each computation (the test below)."""
    calls.append(value)
    return {"value": value}


def test_requests_arriving_while_a_snapshot_is_computed_wait_and_take_its_result():
    """While one process computes a snapshot (it holds the snapshot's lock), a request for the same snapshot
    waits and takes the stored result instead of computing it a second time. SQLite (development) has no
    such lock: there the request computes it itself."""
    calls.clear()
    name = figure_cache._name(counted_snapshot)
    key = f"{name}:7"
    if connection.vendor != "postgresql":
        assert figure_cache.cached(counted_snapshot, 7).value == {"value": 7}
        assert calls == [7]
        return
    current = figure_cache.generation()
    lock = figure_cache._lock_id(key)
    holding, waited = threading.Event(), []

    def other_process():
        """Holds the lock for half a second, stores the snapshot, then lets go (as a computing request would)."""
        params = connection.settings_dict
        with (
            psycopg.connect(
                dbname=params["NAME"],
                user=params.get("USER") or None,
                host=params.get("HOST") or None,
                port=params.get("PORT") or None,
                autocommit=True,
            ) as other,
            other.transaction(),
        ):
            other.execute("SELECT pg_advisory_lock(%s)", [lock])
            holding.set()
            time.sleep(0.5)
            other.execute(
                "INSERT INTO stations_figuresnapshot (key, generation, computed_at, seconds, data) "
                "VALUES (%s, %s, now(), 0.5, %s)",
                [key, current, pickle.dumps({"value": "from the other process"})],
            )

    thread = threading.Thread(target=other_process)
    thread.start()
    assert holding.wait(10)
    start = time.monotonic()
    result = figure_cache.cached(counted_snapshot, 7)
    waited.append(time.monotonic() - start)
    thread.join()
    assert result.value == {"value": "from the other process"}
    assert calls == []  # not computed a second time
    assert waited[0] >= 0.3  # it did wait for the other process
