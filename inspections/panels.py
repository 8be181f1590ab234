"""Home-page and station-page panels: what is due (DESIGN: each role's home shows its to-dos)."""

from django.template.loader import render_to_string
from django.utils import timezone

from stations.roles import has_capability
from stations.scoping import for_station, visible_to

from .models import AnnualChecklist, Inspection, InspectionStatus, Rectification, RectStatus, RoundStatus


def home_due(request) -> str | None:
    user = request.user
    if has_capability(user, "inspections.score"):
        to_score = visible_to(
            Inspection.objects.filter(status=InspectionStatus.DRAFT, round__status=RoundStatus.OPEN), user
        ).count()
        rects = visible_to(Rectification.objects.all(), user)
        overdue = rects.overdue().select_related("workstation").order_by("due_on")
        return render_to_string(
            "inspections/panels/county_home.html",
            {
                "to_score": to_score,
                "to_verify": rects.filter(status=RectStatus.ANSWERED).count(),
                "overdue_count": overdue.count(),
                "overdue": overdue[:5],
            },
            request=request,
        )
    if has_capability(user, "inspections.answer") and user.workstation_id:
        rects = visible_to(Rectification.objects.all(), user)
        year = timezone.localdate().year - 1
        checklist = for_station(AnnualChecklist.objects.filter(year=year), user.workstation_id).first()
        return render_to_string(
            "inspections/panels/station_home.html",
            {
                "open": rects.filter(status__in=[RectStatus.OPEN, RectStatus.RETURNED]).order_by("due_on")[:5],
                "open_count": rects.filter(status__in=[RectStatus.OPEN, RectStatus.RETURNED]).count(),
                "checklist": checklist,
                "year": year,
                "station_id": user.workstation_id,
            },
            request=request,
        )
    return None


def station_panel(request, station) -> str | None:
    if not has_capability(request.user, "inspections.view"):
        return None
    inspections = (
        visible_to(Inspection.objects.filter(workstation=station, status=InspectionStatus.SUBMITTED), request.user)
        .select_related("round")
        .order_by("-round__year", "-round__half")[:4]
    )
    open_count = visible_to(Rectification.objects.filter(workstation=station), request.user).unverified().count()
    return render_to_string(
        "inspections/panels/station.html",
        {"inspections": inspections, "open_count": open_count, "station": station},
        request=request,
    )
