"""Offline entry of activities: the quick entry (and copy-from-last) filled on the phone, applied with the
online page's form and service (stations.offline)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from stations.offline.registry import Applied, Kind, Refused, register
from stations.roles import has_capability, works_at_station

from . import selectors, services
from .forms import ActivityForm


def apply_activity(actor, object_id, data, base_version) -> Applied:
    if not works_at_station(actor):
        raise PermissionDenied("no own station")
    station = actor.workstation  # as online: a new activity belongs to the user's own station
    form = ActivityForm(data, user=actor, workstation=station)
    if not form.is_valid():
        raise Refused(form)
    activity = services.activity_create(actor=actor, workstation=station, **form.service_kwargs())
    return Applied(activity.pk, _("活动已登记：%(title)s") % {"title": activity.title})


def activity_pages(user) -> list[str]:
    if not has_capability(user, "offline.station_pages") or not has_capability(user, "activities.edit"):
        return []
    if not works_at_station(user):
        return []
    recent = selectors.recent_by_type(user=user, workstation=user.workstation)
    return [reverse("activities:activity-create")] + [
        reverse("activities:activity-copy", kwargs={"pk": a.pk})
        for a in recent
        if selectors.activity_editable(user=user, activity=a)
    ]


register(Kind(name="activity", capability="activities.edit", apply=apply_activity, pages=activity_pages))
