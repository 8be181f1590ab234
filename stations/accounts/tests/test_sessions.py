"""The session store (stations.accounts.sessions): AUTH-5's touch on every request moves the idle timeout;
on PostgreSQL a touch commits without waiting for the disk, every other session write waits."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from stations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ASYNC = "SET LOCAL synchronous_commit TO OFF"


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")


def statements(queries):
    return [query["sql"] for query in queries.captured_queries]


def test_each_request_moves_the_idle_timeout(world, client):
    user = world.user("staff")
    start = timezone.now()
    with freeze_time(start):
        sign_in(client, user)
    with freeze_time(start + timedelta(minutes=20)):
        assert client.get(reverse("stations:home")).status_code == 200
    # 45 minutes after signing in, 25 after the last request: still signed in
    with freeze_time(start + timedelta(minutes=45)):
        assert client.get(reverse("stations:home")).status_code == 200
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expiry == start + timedelta(minutes=45, seconds=1800)
    with freeze_time(start + timedelta(minutes=45 + 31)):
        response = client.get(reverse("stations:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db(transaction=True)  # a request's own transaction, as in production
def test_only_a_touch_commits_without_waiting_for_the_disk(world, client):
    user = world.user("staff")
    start = timezone.now()
    with freeze_time(start), CaptureQueriesContext(connection) as signing_in:
        assert sign_in(client, user).status_code == 302
    with freeze_time(start + timedelta(minutes=2)), CaptureQueriesContext(connection) as touching:
        assert client.get(reverse("stations:home")).status_code == 200
    touch = statements(touching)
    update = next(i for i, sql in enumerate(touch) if sql.startswith('UPDATE "django_session"'))
    # a new session at sign-in (a cycled key, new data) is an ordinary commit, on every database
    assert ASYNC not in statements(signing_in)
    if connection.vendor == "postgresql":
        assert touch.index(ASYNC) < update
    else:
        assert ASYNC not in touch


def test_a_touch_is_written_at_most_once_a_minute(world, client):
    """Requests within a minute of the last written touch leave the session row alone; the next minute's
    request moves the expiry to 30 minutes after it."""
    user = world.user("staff")
    start = timezone.now()
    with freeze_time(start):
        sign_in(client, user)

    def expiry():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    for seconds in (10, 40, 59):
        with freeze_time(start + timedelta(seconds=seconds)), CaptureQueriesContext(connection) as page:
            assert client.get(reverse("stations:home")).status_code == 200
        assert not [sql for sql in statements(page) if sql.startswith('UPDATE "django_session"')]
    assert expiry() == start + timedelta(seconds=1800)
    with freeze_time(start + timedelta(seconds=61)):
        assert client.get(reverse("stations:home")).status_code == 200
    assert expiry() == start + timedelta(seconds=61 + 1800)
    # idle for 29 minutes after a request that was not written: still signed in
    with freeze_time(start + timedelta(seconds=61 + 30)):
        assert client.get(reverse("stations:home")).status_code == 200
    with freeze_time(start + timedelta(seconds=61 + 30, minutes=29)):
        assert client.get(reverse("stations:home")).status_code == 200


def test_a_changed_session_is_an_ordinary_commit(world, client):
    user = world.user("staff")
    sign_in(client, user)
    with CaptureQueriesContext(connection) as toggling:
        client.post(reverse("stations:toggle-large-type"), HTTP_REFERER="/")
    assert client.session.get("large_type") is True
    assert ASYNC not in statements(toggling)


@pytest.mark.parametrize("role", ["staff", "county"])
def test_the_signed_in_user_comes_with_its_scope_in_one_query(world, client, role):
    """stations.accounts.backends: the navigation bar's scope label needs no query of its own."""
    user = world.user(role)
    assert sign_in(client, user).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("volunteers:staffing-list")).content.decode()
    assert user.scope_label in page
    by_user = [sql for sql in statements(queries) if 'FROM "stations_user"' in sql]
    assert len(by_user) == 1
    scope_table = "stations_workstation" if role == "staff" else "stations_orgunit"
    assert f'JOIN "{scope_table}"' in by_user[0]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert "/login/" in client.get(reverse("volunteers:staffing-list")).url
