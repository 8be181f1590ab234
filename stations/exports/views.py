"""The one download path of every report (DESIGN §7): capability, reason where asked, audit entry, file."""

from django.shortcuts import redirect, render
from django.views import View

from stations.audit.log import audit
from stations.downloads import bytes_response
from stations.reasons import AccessReasonForm, Purpose
from stations.roles import require

from .base import get_report


class ExportDownload(View):
    """The one download path of every report (DESIGN §7): capability, audit entry, file response."""

    def get(self, request, slug):
        report = get_report(slug)
        require(request.user, report.capability)
        if report.export_page:  # made on its own page only (e.g. the encrypted named list of minors)
            return redirect(report.export_page)
        reason, reason_code = "", ""
        if report.requires_reason_for(request.user):
            form = AccessReasonForm(request.GET if "reason" in request.GET else None, purpose=Purpose.NAMED_EXPORT)
            if not form.is_valid():
                return render(request, "stations/export_reason.html", {"form": form, "report": report})
            reason, reason_code = form.audit_text, form.code
        result = report.build(user=request.user, params=request.GET)
        audit(
            actor=request.user,
            action="export.download",
            object_repr=f"{report.title}: {result.filename}",
            changes={
                "report": slug,
                "filters": {str(k): str(v) for k, v in result.filters.items()},
                "rows": result.row_count,
                **({"reason_code": reason_code} if reason_code else {}),
            },
            reason=reason,
        )
        return bytes_response(result.content, filename=result.filename, content_type=result.content_type)
