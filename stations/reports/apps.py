from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports, dashboards, the annual report and export jobs: a model-less app inside `stations`.

    It is an app so that its templates (`reports/...`), Celery tasks and access-matrix entries are found
    in this folder. Its data (ReportSnapshot, StationYearHighlight, ExportJob) stays in `stations.models`.
    Its navigation entry (仪表板) is listed with the other `stations` entries, in their order.
    """

    name = "stations.reports"
    label = "stations_reports"
    verbose_name = _("报表与仪表板")
    station_panels = ["stations.reports.panels.annual_report_panel"]
    home_panels = ["stations.reports.panels.failed_jobs_panel"]

    def ready(self):
        from . import batch, pdf, summary, workstation  # noqa: F401  (report registrations)
