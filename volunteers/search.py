"""The volunteers' search group: the volunteer list's own text filter, names and station only
(no phone or ID number leaves the search, so it needs no identity-view log; docs/decisions.md)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stations.search.registry import Group, Row, more_url, take

from . import selectors
from .filters import VolunteerFilterSet


def volunteers(user, term: str) -> Group:
    filterset = VolunteerFilterSet({"q": term}, queryset=selectors.volunteer_list(user=user), user=user)
    found, more = take(filterset.qs)
    return Group(
        kind="volunteers",
        label=_("志愿者"),
        rows=[
            Row(title=v.name, url=reverse("volunteers:volunteer-detail", args=[v.pk]), detail=v.workstation.name)
            for v in found
        ],
        more_url=more_url(reverse("volunteers:volunteer-list"), term) if more else "",
    )
