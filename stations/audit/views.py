"""The audit log page (AUD-3): filters, masked entries (`log.present`), a link to the export."""

from django.shortcuts import render
from django.views import View

from stations.mixins import CapabilityRequired, NoStore
from stations.roles import has_capability
from stations.views import paginate

from . import selectors
from .forms import AuditFilterForm
from .log import present


class AuditList(CapabilityRequired, NoStore, View):
    capability = "audit.view"

    def get(self, request):
        form = AuditFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        page, query = paginate(request, selectors.audit_list(user=request.user, filters=filters), per_page=50)
        page.object_list = present(page.object_list)
        return render(
            request,
            "stations/audit_list.html",
            {
                "form": form,
                "page": page,
                "query": query,
                "count": page.paginator.count,
                "can_export": has_capability(request.user, "audit.export"),
            },
        )
