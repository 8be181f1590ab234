"""The stations app's search group: workstations, through the workstation list's own filter."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stations import selectors
from stations.filters import WorkstationFilterSet

from .registry import Group, Row, more_url, take


def workstations(user, term: str) -> Group:
    filterset = WorkstationFilterSet({"q": term}, queryset=selectors.workstation_list(user=user), user=user)
    stations, more = take(filterset.qs)
    list_url = reverse("stations:workstation-list")
    return Group(
        kind="stations",
        label=_("工作站"),
        rows=[
            Row(title=s.name, url=reverse("stations:workstation-detail", args=[s.pk]), detail=s.county.name)
            for s in stations
        ],
        more_url=more_url(list_url, term) if more else "",
    )
