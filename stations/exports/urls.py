"""The download URL, included by stations/urls.py into the `stations` namespace (`stations:export-download`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.ExportDownload.as_view(), name="export-download"),
]
