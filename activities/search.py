"""The activities' search group: the activity list's own text filter (title, place, partner, school,
summary), over the activities the user's stations organised or joined."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stations.search.registry import TRIGRAM_LENGTH, Group, Row, more_url, take

from . import selectors
from .filters import ActivityFilterSet


def activities(user, term: str) -> Group:
    list_url = reverse("activities:activity-list")
    if len(term) < TRIGRAM_LENGTH:
        # 1–2 characters (a surname) would scan 400k activities' texts: offered as a list search instead
        return Group(
            kind="activities",
            label=_("活动"),
            note=_("输入至少 %(n)d 个字才搜索活动。") % {"n": TRIGRAM_LENGTH},
            more_url=more_url(list_url, term),
        )
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
        more_url=more_url(list_url, term) if more else "",
    )
