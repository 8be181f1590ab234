"""URLs of the activities app."""

from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.ActivityList.as_view(), name="activity-list"),
    path("calendar/", views.ActivityCalendar.as_view(), name="activity-calendar"),
    path("stats/", views.ActivityStats.as_view(), name="activity-stats"),
    path("new/", views.ActivityCreate.as_view(), name="activity-create"),
    path("import/", views.ActivityImport.as_view(), name="import"),
    path("import/confirm/", views.ActivityImportConfirm.as_view(), name="import-confirm"),
    path("import/errors/", views.ActivityImportErrors.as_view(), name="import-errors"),
    path("<int:pk>/", views.ActivityDetail.as_view(), name="activity-detail"),
    path("<int:pk>/edit/", views.ActivityEdit.as_view(), name="activity-edit"),
    path("<int:pk>/copy/", views.ActivityCopy.as_view(), name="activity-copy"),
    path("<int:pk>/archive/", views.ActivityArchive.as_view(), name="activity-archive"),
    path("<int:pk>/attachments/", views.AttachmentUpload.as_view(), name="attachment-upload"),
    path("attachments/<int:pk>/", views.AttachmentDownload.as_view(), name="attachment-download"),
]
