"""Who is told what when an inspection step needs someone else's action (stations.notifications)."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from stations.models import NotificationKind
from stations.notifications.selectors import station_users, unit_users
from stations.notifications.services import notify


def _short(text: str) -> str:
    return Truncator(text).chars(40)


def rectification_raised(*, actor, rect) -> None:
    """A finding is assigned to the station: its staff and head answer it."""
    notify(
        recipients=station_users(station_id=rect.workstation_id, capability="inspections.answer"),
        kind=NotificationKind.ASSIGNMENT,
        text=_("督查发现需整改：%(f)s（期限 %(d)s）") % {"f": _short(rect.finding), "d": f"{rect.due_on:%Y-%m-%d}"},
        link=reverse("inspections:rectification-detail", args=[rect.pk]),
        about=rect,
        exclude=actor,
    )


def rectification_returned(*, actor, rect) -> None:
    notify(
        recipients=station_users(station_id=rect.workstation_id, capability="inspections.answer"),
        kind=NotificationKind.RETURNED,
        text=_("整改被退回：%(f)s。原因：%(r)s") % {"f": _short(rect.finding), "r": _short(rect.return_reason)},
        link=reverse("inspections:rectification-detail", args=[rect.pk]),
        about=rect,
        exclude=actor,
    )


def rectification_answered(*, actor, rect) -> None:
    """The county verifies the answer (an approval waiting)."""
    notify(
        recipients=unit_users(org_unit_id=rect.workstation.county_id, capability="inspections.verify"),
        kind=NotificationKind.APPROVAL,
        text=_("整改已反馈，待验收：%(s)s %(f)s") % {"s": rect.workstation.name, "f": _short(rect.finding)},
        link=reverse("inspections:rectification-detail", args=[rect.pk]),
        about=rect,
        exclude=actor,
    )


def _checklist_link(checklist) -> str:
    return reverse("inspections:checklist-detail", args=[checklist.workstation_id, checklist.year])


def checklist_submitted(*, actor, checklist) -> None:
    notify(
        recipients=unit_users(org_unit_id=checklist.workstation.county_id, capability="checklist.review"),
        kind=NotificationKind.APPROVAL,
        text=_("年度台账待审核：%(s)s %(y)d 年") % {"s": checklist.workstation.name, "y": checklist.year},
        link=_checklist_link(checklist),
        about=checklist,
        exclude=actor,
    )


def checklist_reopened(*, actor, checklist, reason: str) -> None:
    """The head submits the checklist again after the correction."""
    notify(
        recipients=station_users(station_id=checklist.workstation_id, capability="checklist.submit"),
        kind=NotificationKind.REOPENED,
        text=_("%(y)d 年度台账已被重新开放，请更正后再次提交。原因：%(r)s")
        % {"y": checklist.year, "r": _short(reason.strip())},
        link=_checklist_link(checklist),
        about=checklist,
        exclude=actor,
    )
