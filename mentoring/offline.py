"""Offline entry of mentoring: a visit recorded on the phone, applied with the online page's form and
service (stations.offline)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stations.offline.registry import Applied, Kind, Refused, register
from stations.roles import has_capability

from . import forms, selectors, services


def apply_visit(actor, object_id, data, base_version) -> Applied:
    youth = selectors.youth_get(user=actor, pk=object_id)  # another scope's case: 404
    form = forms.VisitRecordForm(data, user=actor, youth=youth)
    if not form.is_valid():
        raise Refused(form)
    visit = services.visit_record(actor=actor, youth=youth, **form.cleaned_data)
    message = _("已登记 %(year)d 年第 %(n)d 次走访") % {"year": visit.visited_on.year, "n": visit.sequence}
    return Applied(visit.pk, message)


def visit_pages(user) -> list[str]:
    if not has_capability(user, "offline.station_pages") or not has_capability(user, "mentoring.edit"):
        return []
    return [reverse("mentoring:visit-create", kwargs={"pk": pk}) for pk in selectors.offline_case_ids(user=user)]


register(Kind(name="visit", capability="mentoring.edit", apply=apply_visit, pages=visit_pages))
