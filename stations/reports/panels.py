"""The reports' block on the workstation page (registered in `apps.py`)."""

from django.template.loader import render_to_string
from django.utils import timezone

from stations.roles import has_capability

from .jobs import failed_jobs


def annual_report_panel(request, station) -> str | None:
    """A link to the station's annual report of last year and this year."""
    if not has_capability(request.user, "stations.view"):
        return None
    this_year = timezone.localdate().year
    return render_to_string(
        "reports/_station_panel.html", {"station": station, "years": [this_year - 1, this_year]}, request=request
    )


def failed_jobs_panel(request) -> str | None:
    """The system administrator's home: background exports that failed this week, and why."""
    if not has_capability(request.user, "jobs.monitor"):
        return None
    return render_to_string(
        "reports/_failed_jobs_panel.html", {"jobs": failed_jobs(user=request.user), "days": 7}, request=request
    )
