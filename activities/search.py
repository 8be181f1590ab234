"""The activities' search group: the activity list's own text filter (title, place, partner, school,
summary), over the activities the user's stations organised or joined."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stations.search.registry import Group, Row, more_url, take

from . import selectors
from .filters import ActivityFilterSet


def activities(user, term: str) -> Group:
    filterset = ActivityFilterSet({"q": term}, queryset=selectors.activity_list(user=user), user=user)
    found, more = take(filterset.qs)
    return Group(
        kind="activities",
        label=_("活动"),
        rows=[
            Row(
                title=a.title,
                url=reverse("activities:activity-detail", args=[a.pk]),
                detail=f"{a.workstation.name} · {a.held_on:%Y-%m-%d}",
            )
            for a in found
        ],
        more_url=more_url(reverse("activities:activity-list"), term) if more else "",
    )
