"""Audit log URLs, included by stations/urls.py into the `stations` namespace (names unchanged)."""

from django.urls import path

from stations.exports.views import ExportDownload

from . import views

urlpatterns = [
    path("", views.AuditList.as_view(), name="audit-list"),
    # The audit log export goes through the one download path (capability, audit entry, file).
    path("export/", ExportDownload.as_view(), {"slug": "audit-log"}, name="audit-export"),
]
