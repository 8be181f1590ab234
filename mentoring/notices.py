"""Who is told what in mentoring (stations.notifications): team assignments, closures and unseal
requests awaiting approval, and the daily reminder of contacts, reassessments and follow-ups due.

A text names a minor by case number and masked name only (张某), whoever reads it: a stored message
must not outlive the reader's right to see the file; the link is checked again when opened.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.masking import mask_name
from stations.models import NotificationKind
from stations.notifications.selectors import all_users_with, station_users, unit_users
from stations.notifications.services import notify

from . import selectors


def _case(youth) -> str:
    return f"#{youth.pk} {mask_name(youth.name)}"


def _youth_link(youth) -> str:
    return reverse("mentoring:youth-detail", args=[youth.pk])


def team_assigned(*, actor, team, youth_list) -> None:
    """Volunteers have no accounts: the station's case handlers are told who now mentors whom."""
    for youth in youth_list:
        notify(
            recipients=station_users(station_id=youth.workstation_id, capability="mentoring.view_identity"),
            kind=NotificationKind.ASSIGNMENT,
            text=_("帮教对象 %(c)s 已结对，帮教人：%(m)s") % {"c": _case(youth), "m": team.lead.name},
            link=_youth_link(youth),
            about=youth,
            exclude=actor,
        )


def closure_proposed(*, actor, youth) -> None:
    notify(
        recipients=station_users(station_id=youth.workstation_id, capability="mentoring.approve_close"),
        kind=NotificationKind.APPROVAL,
        text=_("结案申请待审批：帮教对象 %(c)s") % {"c": _case(youth)},
        link=_youth_link(youth),
        about=youth,
        exclude=actor,
    )


def unseal_requested(*, actor, youth) -> None:
    """A sealed file: no name at all, the case number and station; the county's list of requests."""
    station = youth.workstation
    notify(
        recipients=unit_users(org_unit_id=station.county_id, capability="mentoring.approve_unseal"),
        kind=NotificationKind.APPROVAL,
        text=_("解封申请待审批：%(s)s 案件 #%(n)d") % {"s": station.name, "n": youth.pk},
        link=reverse("mentoring:unseal-list"),
        about=station,
        exclude=actor,
    )


def notify_due(*, today=None) -> int:
    """One reminder per item falling due (today or before, not yet done) and per station user; run daily
    (`manage.py notify_due`, Celery beat). Idempotent: the key holds the item and its due date, so a
    second run writes nothing and a new due date (after a visit) is a new reminder."""
    today = today or timezone.localdate()
    created = 0
    for user in all_users_with(capability="mentoring.edit"):
        for youth in selectors.youth_list(user=user).filter(selectors.overdue_q(today + timedelta(days=1))):
            row = selectors.present(youth, user=user, today=today + timedelta(days=1))
            items = []
            if row.contact_overdue:
                items.append(("contact", row.next_contact, _("帮教对象 %(c)s 应于 %(d)s 前联系走访")))
            if row.reassess_overdue:
                items.append(("reassess", row.reassess_on, _("帮教对象 %(c)s 应于 %(d)s 前重新评估风险")))
            for kind, on, text in items:
                created += len(
                    notify(
                        recipients=[user],
                        kind=NotificationKind.DUE,
                        text=text % {"c": _case(youth), "d": f"{on:%Y-%m-%d}"},
                        link=_youth_link(youth),
                        key=f"due:{kind}:{youth.pk}:{on:%Y%m%d}",
                    )
                )
        for item in selectors.followup_items(user=user, today=today):
            if item["due"] > today:
                continue
            youth = item["row"].youth
            created += len(
                notify(
                    recipients=[user],
                    kind=NotificationKind.DUE,
                    text=_("帮教对象 %(c)s 第 %(n)d 次结案回访应于 %(d)s 前完成")
                    % {"c": _case(youth), "n": item["number"], "d": f"{item['due']:%Y-%m-%d}"},
                    link=_youth_link(youth),
                    key=f"due:followup:{youth.pk}:{item['number']}",
                )
            )
    return created
