"""Reads of notifications: each user reads only their own, and who should be told of something."""

from django.db.models import OuterRef, QuerySet
from django.db.models.functions import Coalesce

from stations.models import Notification, User
from stations.roles import roles_with
from stations.subqueries import count_of


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    """The navbar badge: the count kept on the user row (no query; the row is loaded for the request)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return user.unread_notifications


def unread_subquery() -> Coalesce:
    """Per user row: the number of unread notifications (served by the partial index on unread rows)."""
    return count_of(Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True), per="recipient")


def station_users(*, station_id: int, capability: str) -> QuerySet[User]:
    """Active accounts working at the station whose role has the capability."""
    return User.objects.filter(is_active=True, workstation_id=station_id, role__in=roles_with(capability))


def unit_users(*, org_unit_id: int, capability: str) -> QuerySet[User]:
    """Active accounts over the org unit (e.g. a county's officers) whose role has the capability."""
    return User.objects.filter(is_active=True, org_unit_id=org_unit_id, role__in=roles_with(capability))


def existing_keys(*, keys: list[str]) -> set[tuple[int, str]]:
    """(recipient id, key) pairs already notified, so a reminder is written once per item and user."""
    if not keys:
        return set()
    return set(Notification.objects.filter(key__in=keys).values_list("recipient_id", "key"))


def all_users_with(*, capability: str) -> QuerySet[User]:
    """Every active account whose role has the capability (the daily reminder walks them)."""
    return User.objects.filter(is_active=True, role__in=roles_with(capability)).order_by("pk")
