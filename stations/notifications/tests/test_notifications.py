"""The notifications page, the navbar count, opening and marking read: each user's own only."""

import pytest
from django.urls import reverse

from stations.models import Notification, NotificationKind
from stations.notifications.services import notify


def _note(user, text="整改被退回：缺少签到表", link="/inspections/rectifications/"):
    assert len(notify(recipients=[user], kind=NotificationKind.RETURNED, text=text, link=link)) == 1
    return Notification.objects.filter(recipient=user).latest("pk")


def test_navbar_shows_the_unread_count_and_the_page_lists_own_notifications_only(world, client_as):
    staff, head = world.user("staff"), world.user("head")
    _note(staff, "甲的通知一")
    _note(staff, "甲的通知二")
    _note(head, "站长的通知")
    page = client_as(staff).get(reverse("notifications:list")).content.decode()
    assert 'data-testid="unread-count">2<' in page
    assert "甲的通知一" in page and "甲的通知二" in page
    assert "站长的通知" not in page


def test_opening_marks_read_and_follows_the_link(world, client_as):
    staff = world.user("staff")
    note = _note(staff)
    client = client_as(staff)
    response = client.post(reverse("notifications:open"), {"id": note.pk})
    assert response.status_code == 302 and response["Location"] == "/inspections/rectifications/"
    note.refresh_from_db()
    assert note.read_at is not None
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="unread-count"' not in page


def test_another_users_notification_is_a_404_and_stays_unread(world, client_as):
    note = _note(world.user("head"))
    response = client_as(world.user("staff")).post(reverse("notifications:open"), {"id": note.pk})
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_a_link_off_site_is_not_followed(world, client_as):
    note = _note(world.user("staff"), link="//evil.example/")
    response = client_as(world.user("staff")).post(reverse("notifications:open"), {"id": note.pk})
    assert response["Location"] == reverse("notifications:list")


def test_open_needs_post_and_csrf(world, client_as):
    from django.test import Client

    staff = world.user("staff")
    note = _note(staff)
    assert client_as(staff).get(reverse("notifications:open")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff)
    assert strict.post(reverse("notifications:open"), {"id": note.pk}).status_code == 403
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_touches_only_own(world, client_as):
    staff, head = world.user("staff"), world.user("head")
    mine = [_note(staff), _note(staff)]
    theirs = _note(head)
    assert client_as(staff).post(reverse("notifications:read-all")).status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_nobody_is_told_about_a_record_they_cannot_see(world):
    """`about` is checked per recipient: a user of another station is dropped."""
    from stations.tests.factories import UserFactory

    other = UserFactory(role="station_staff", workstation=world.b.station)
    created = notify(
        recipients=[world.user("staff"), other],
        kind=NotificationKind.ASSIGNMENT,
        text="新任务",
        about=world.a.station,
    )
    assert [n.recipient for n in created] == [world.user("staff")]


def test_a_keyed_reminder_is_written_once_per_user(world):
    staff = world.user("staff")
    for _ in range(2):
        notify(recipients=[staff], kind=NotificationKind.DUE, text="到期", key="due:contact:1:20261204")
    assert Notification.objects.filter(recipient=staff).count() == 1


@pytest.mark.parametrize("role", ["staff", "county", "audit"])
def test_the_badge_costs_no_query_and_follows_every_change(world, client_as, django_assert_num_queries, role):
    from stations.models import User
    from stations.notifications.selectors import unread_count
    from stations.notifications.services import notification_open, notifications_mark_all_read

    user = world.user(role)
    first, _second = _note(user), _note(user)
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(0):
        assert unread_count(user=user) == 2
    notification_open(user=user, pk=first.pk)
    assert User.objects.get(pk=user.pk).unread_notifications == 1
    notifications_mark_all_read(user=user)
    assert User.objects.get(pk=user.pk).unread_notifications == 0


def test_read_notifications_past_retention_are_purged_unread_ones_stay(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    from stations.notifications.tasks import purge_read_notifications

    settings.NOTIFICATION_RETENTION_DAYS = 30
    staff = world.user("staff")
    old = timezone.now() - timedelta(days=31)
    old_read = _note(staff)
    old_unread = _note(staff)
    recent_read = _note(staff)
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(created_at=old)
    Notification.objects.filter(pk__in=[old_read.pk, recent_read.pk]).update(read_at=timezone.now())
    assert purge_read_notifications.delay().get() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, recent_read.pk}
