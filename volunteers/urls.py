"""URLs of the volunteers app."""

from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("", views.VolunteerList.as_view(), name="volunteer-list"),
    path("new/", views.VolunteerCreate.as_view(), name="volunteer-create"),
    path("<int:pk>/", views.VolunteerDetail.as_view(), name="volunteer-detail"),
    path("<int:pk>/edit/", views.VolunteerEdit.as_view(), name="volunteer-edit"),
    path("<int:pk>/leave/", views.VolunteerLeave.as_view(), name="volunteer-leave"),
    path("<int:pk>/status/", views.VolunteerStatusChange.as_view(), name="volunteer-status"),
    path("<int:pk>/transfer/", views.VolunteerTransfer.as_view(), name="volunteer-transfer"),
    path("<int:pk>/service/new/", views.ServiceLogAdd.as_view(), name="service-add"),
    path("staffing/", views.StaffingList.as_view(), name="staffing-list"),
    path("trainings/", views.TrainingList.as_view(), name="training-list"),
    path("trainings/new/", views.TrainingCreate.as_view(), name="training-create"),
    path("trainings/import/", views.TrainingImport.as_view(), name="training-import"),
    path("trainings/import/confirm/", views.TrainingImportConfirm.as_view(), name="training-import-confirm"),
    path("trainings/import/errors/", views.TrainingImportErrors.as_view(), name="training-import-errors"),
    path("trainings/<int:pk>/", views.TrainingDetail.as_view(), name="training-detail"),
    path("trainings/<int:pk>/certificate/", views.TrainingCertificate.as_view(), name="training-certificate"),
    path("import/", views.ImportUpload.as_view(), name="import"),
    path("import/template/", views.ImportTemplate.as_view(), name="import-template"),
    path("import/errors/", views.ImportErrors.as_view(), name="import-errors"),
    path("import/confirm/", views.ImportConfirm.as_view(), name="import-confirm"),
]
