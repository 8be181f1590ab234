"""Offline entry of volunteers: service hours recorded on the phone, applied with the online page's form
and service (stations.offline)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stations.offline.registry import Applied, Kind, Refused, register
from stations.roles import has_capability

from . import selectors, services
from .forms import ServiceLogForm


def apply_service(actor, object_id, data, base_version) -> Applied:
    volunteer = selectors.volunteer_get(user=actor, pk=object_id)  # another scope's volunteer: 404
    form = ServiceLogForm(data)
    if not form.is_valid():
        raise Refused(form)
    log = services.service_log_add(actor=actor, volunteer=volunteer, **form.cleaned_data)
    return Applied(log.pk, _("已登记服务时长 %(hours)s 小时") % {"hours": log.hours})


def service_pages(user) -> list[str]:
    if not has_capability(user, "offline.station_pages") or not has_capability(user, "volunteers.edit"):
        return []
    return [
        reverse("volunteers:service-add", kwargs={"pk": pk})
        for pk in selectors.current_volunteer_ids(user=user, workstation=user.workstation)
    ]


register(Kind(name="service", capability="volunteers.edit", apply=apply_service, pages=service_pages))
