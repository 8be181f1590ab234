"""The stations app's named figures (see stations/figures.py): stations by status and partner type, funding."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .figures import figure
from .models import Funding, PartnerType, StationStatus, Workstation, documents_complete_ids


def _flag(station_ids, **filters) -> dict[int, int]:
    return dict.fromkeys(Workstation.objects.filter(pk__in=station_ids, **filters).values_list("pk", flat=True), 1)


def _register_status(status, label, order):
    # a deferred station (缓建) is one the county still owes; the other statuses are neither good nor bad news
    worse_when_more = status == StationStatus.DEFERRED

    @figure(
        f"stations.status_{status}",
        label=label,
        unit=_("个"),
        order=order,
        group=_("工作站"),
        higher_is_better=not worse_when_more,
    )
    def count(*, station_ids, period):
        return _flag(station_ids, status=status)


def _register_partner(partner_type, label, order):
    @figure(f"stations.partner_{partner_type}", label=label, unit=_("个"), order=order, group=_("工作站"))
    def count(*, station_ids, period):
        return _flag(station_ids, partner_type=partner_type, status=StationStatus.ACTIVE)


for _index, (_value, _label) in enumerate(StationStatus.choices):
    _register_status(_value, _("工作站（%(status)s）") % {"status": _label}, 100 + _index)
for _index, (_value, _label) in enumerate(PartnerType.choices):
    _register_partner(_value, _label, 110 + _index)


@figure("stations.funding_yuan", label=_("到位经费"), unit=_("元"), order=120, group=_("工作站"))
def funding_yuan(*, station_ids, period):
    rows = (
        Funding.objects.filter(workstation_id__in=station_ids, year=period.year)
        .values("workstation_id")
        .annotate(total=Sum("amount_yuan"))
    )
    return {row["workstation_id"]: row["total"] for row in rows}


@figure(
    "stations.documents_missing",
    label=_("制度文件不全的工作站"),
    unit=_("个"),
    order=125,
    group=_("工作站"),
    link="stations:workstation-list",
    link_query={"status": StationStatus.ACTIVE, "documents": "missing"},
    higher_is_better=False,
)
def documents_missing(*, station_ids, period):
    """Active stations without a document on file for each of the six systems (today's files)."""
    return dict.fromkeys(
        Workstation.objects.filter(pk__in=station_ids, status=StationStatus.ACTIVE)
        .exclude(pk__in=documents_complete_ids())
        .values_list("pk", flat=True),
        1,
    )
