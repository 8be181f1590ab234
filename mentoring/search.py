"""The youth search group: the youth list's own filter and presentation, so a search finds and shows
exactly what the list would: no sealed case, a name only where the list shows it (matching by name only
for those who see names; above the station the case number), no ID number at all."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stations.search.registry import Group, Row, more_url, take

from . import selectors
from .filters import YouthFilterSet


def youth(user, term: str) -> Group:
    filterset = YouthFilterSet({"q": term}, queryset=selectors.youth_list(user=user), user=user)
    found, more = take(filterset.qs)
    rows = []
    for y in found:
        row = selectors.present(y, user=user)
        rows.append(
            Row(
                title=f"#{y.pk} {row.name}",
                url=reverse("mentoring:youth-detail", args=[y.pk]),
                detail=f"{y.workstation.name} · {y.get_stage_display()}",
            )
        )
    return Group(
        kind="youth",
        label=_("帮教对象"),
        rows=rows,
        more_url=more_url(reverse("mentoring:youth-list"), term) if more else "",
    )
