"""URLs of reports, dashboards and background export jobs (namespace `reports`)."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.Dashboard.as_view(), name="dashboard"),
    path("overview/", views.Overview.as_view(), name="overview"),
    path("corrections/", views.Corrections.as_view(), name="corrections"),
    path("jobs/", views.JobList.as_view(), name="job-list"),
    path("jobs/start/<slug:slug>/", views.JobStart.as_view(), name="job-start"),
    path("jobs/<int:pk>/", views.JobDetail.as_view(), name="job-detail"),
    path("jobs/<int:pk>/progress/", views.JobProgress.as_view(), name="job-progress"),
    path("jobs/<int:pk>/download/", views.JobDownload.as_view(), name="job-download"),
    path("stations/<int:pk>/<int:year>/", views.StationAnnual.as_view(), name="station-annual"),
    path("stations/<int:pk>/<int:year>/highlights/", views.HighlightSave.as_view(), name="highlight-save"),
    path("stations/<int:pk>/<int:year>/changes/", views.SnapshotDiff.as_view(), name="snapshot-diff"),
]
