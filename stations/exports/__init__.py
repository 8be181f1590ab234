"""One export framework (DESIGN §7): report classes register here and are served by one download view.

from stations.exports import Report, register

@register
class VolunteerRoster(Report):
    slug = "volunteer-roster"
    ...
"""

from .base import REGISTRY, Report, ReportFile, get_report, register

__all__ = ["REGISTRY", "Report", "ReportFile", "get_report", "register"]
