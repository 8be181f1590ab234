"""Reads of the volunteers app: scoped querysets and aggregates."""

from django.db.models import QuerySet

from stations.scoping import visible_to

from .models import CURRENT_STATUSES, Volunteer


def volunteer_list(*, user) -> QuerySet[Volunteer]:
    """Volunteers in the user's scope (masking of ID and phone happens in the views' row builders)."""
    return visible_to(Volunteer.objects.all(), user).select_related("workstation")


def current_volunteers(*, user, workstation) -> QuerySet[Volunteer]:
    """Active or paused members of one station (for choice fields of mentoring and activities)."""
    return volunteer_list(user=user).filter(workstation=workstation, status__in=CURRENT_STATUSES)
