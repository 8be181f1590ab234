"""Writes of notifications. Services of every app call `notify` after the thing is done.

A notification goes only to users who may open what it is about (`about`, checked through
`stations.scoping`): nobody is told of a record they cannot see. Texts about minors carry the case
number and a masked name only (`stations.masking.mask_name`), whoever reads them.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from stations.models import Notification, User
from stations.scoping import is_visible

from . import selectors


def notify(
    *, recipients: Iterable, kind: str, text: str, link: str = "", about=None, key: str = "", exclude=None
) -> list[Notification]:
    """One notification per recipient that may see `about` (and is not `exclude`, the actor himself).

    With `key`, a recipient already told under that key is skipped (a daily reminder is written once)."""
    people = {user.pk: user for user in recipients if user.is_active and (exclude is None or user.pk != exclude.pk)}
    if about is not None:
        people = {pk: user for pk, user in people.items() if is_visible(about, user)}
    if key:
        done = {pk for pk, _key in selectors.existing_keys(keys=[key])}
        people = {pk: user for pk, user in people.items() if pk not in done}
    rows = [Notification(recipient=user, kind=kind, text=text[:300], link=link, key=key) for user in people.values()]
    if not rows:
        return []
    # ignore_conflicts: two reminder runs at once still write one row per key and user (the unique constraint)
    created = Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    _recount(people.keys())
    return created


def _recount(user_ids) -> None:
    """Set the users' unread count from their notifications (exact whatever ran concurrently)."""
    User.objects.filter(pk__in=list(user_ids)).update(unread_notifications=selectors.unread_subquery())


def notification_open(*, user, pk) -> str:
    """Mark the user's own notification read and return where it leads (Http404 for anyone else's)."""
    notification = selectors.notification_list(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404("no such notification")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        _recount([user.pk])
    link = notification.link
    # Only the application's own paths: a stored link never leads off-site.
    if link and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return link
    return ""


def notifications_purge(*, now=None) -> int:
    """Delete read notifications older than NOTIFICATION_RETENTION_DAYS (unread ones stay until read)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted, _per_model = Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    return deleted


def notifications_mark_all_read(*, user) -> int:
    marked = selectors.notification_list(user=user).filter(read_at__isnull=True).update(read_at=timezone.now())
    _recount([user.pk])
    return marked
