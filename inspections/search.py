"""The inspections' search group: findings to rectify (整改), through the rectification list's own
text filter (finding, station, person responsible)."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from stations.search.registry import Group, Row, more_url, take

from . import selectors
from .filters import RectificationFilterSet


def rectifications(user, term: str) -> Group:
    filterset = RectificationFilterSet({"q": term}, queryset=selectors.rectification_list(user=user), user=user)
    found, more = take(filterset.qs)
    return Group(
        kind="inspections",
        label=_("督查整改"),
        rows=[
            Row(
                title=Truncator(r.finding).chars(60),
                url=reverse("inspections:rectification-detail", args=[r.pk]),
                detail=f"{r.workstation.name} · {r.get_status_display()}",
            )
            for r in found
        ],
        more_url=more_url(reverse("inspections:rectification-list"), term) if more else "",
    )
