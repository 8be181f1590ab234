"""URLs of the mentoring app."""

from django.urls import path

from . import views

app_name = "mentoring"
urlpatterns = [
    path("", views.YouthList.as_view(), name="youth-list"),
    path("new/", views.YouthCreate.as_view(), name="youth-create"),
    path("import/", views.YouthImport.as_view(), name="youth-import"),
    path("import/confirm/", views.YouthImportConfirm.as_view(), name="youth-import-confirm"),
    path("import/errors/", views.YouthImportErrors.as_view(), name="youth-import-errors"),
    path("overdue/", views.OverdueList.as_view(), name="overdue-list"),
    path("export/", views.YouthExport.as_view(), name="youth-export"),
    path("export/done/", views.YouthExportDone.as_view(), name="youth-export-done"),
    path("followups/", views.FollowUpList.as_view(), name="followup-list"),
    path("<int:pk>/", views.YouthDetail.as_view(), name="youth-detail"),
    path("<int:pk>/full/", views.YouthFull.as_view(), name="youth-full"),
    path("<int:pk>/edit/", views.YouthEdit.as_view(), name="youth-edit"),
    path("<int:pk>/consent/", views.ConsentRecord.as_view(), name="youth-consent"),
    path("<int:pk>/consent/withdraw/", views.ConsentWithdraw.as_view(), name="youth-consent-withdraw"),
    path("<int:pk>/assess/", views.YouthAssess.as_view(), name="youth-assess"),
    path("<int:pk>/guardians/new/", views.GuardianAdd.as_view(), name="guardian-create"),
    path("<int:pk>/milestones/new/", views.MilestoneAdd.as_view(), name="milestone-create"),
    path("<int:pk>/reinvolvements/new/", views.ReinvolvementAdd.as_view(), name="reinvolvement-create"),
    path("<int:pk>/followups/new/", views.FollowUpAdd.as_view(), name="followup-create"),
    path("<int:pk>/teams/new/", views.TeamCreate.as_view(), name="team-create"),
    path("<int:pk>/visits/new/", views.VisitCreate.as_view(), name="visit-create"),
    path("<int:pk>/close/", views.YouthClose.as_view(), name="youth-close"),
    path("<int:pk>/close/approve/", views.YouthCloseApprove.as_view(), name="youth-close-approve"),
    path("<int:pk>/stage/", views.YouthTransition.as_view(), name="youth-transition"),
    path("<int:pk>/seal/", views.YouthSeal.as_view(), name="youth-seal"),
    path("sealed/", views.SealedView.as_view(), name="sealed-view"),
    path("sealed/<int:pk>/unseal-request/", views.UnsealRequest.as_view(), name="unseal-request"),
    path("unseal-requests/", views.UnsealList.as_view(), name="unseal-list"),
    path("unseal-requests/<int:pk>/approve/", views.UnsealApprove.as_view(), name="unseal-approve"),
    path("night/", views.EncounterList.as_view(), name="encounter-list"),
    path("night/new/", views.EncounterCreate.as_view(), name="encounter-create"),
    path("calls/", views.CallList.as_view(), name="call-list"),
    path("calls/new/", views.CallCreate.as_view(), name="call-create"),
    path("calls/<int:pk>/followup/", views.CallFollowUp.as_view(), name="call-followup"),
]
