"""URLs of the inspections app."""

from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.RoundList.as_view(), name="round-list"),
    path("rounds/open/", views.RoundOpen.as_view(), name="round-open"),
    path("rounds/<int:pk>/", views.RoundDetail.as_view(), name="round-detail"),
    path("inspections/<int:pk>/", views.InspectionDetail.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/score/", views.InspectionScore.as_view(), name="inspection-score"),
    path("inspections/<int:pk>/correct/", views.InspectionCorrect.as_view(), name="inspection-correct"),
    path("inspections/<int:pk>/findings/", views.RectificationRaise.as_view(), name="rectification-raise"),
    path("rectifications/", views.RectificationList.as_view(), name="rectification-list"),
    path("rectifications/<int:pk>/", views.RectificationDetail.as_view(), name="rectification-detail"),
    path("rectifications/<int:pk>/answer/", views.RectificationAnswer.as_view(), name="rectification-answer"),
    path("rectifications/<int:pk>/verify/", views.RectificationVerify.as_view(), name="rectification-verify"),
    path("rectifications/<int:pk>/return/", views.RectificationReturn.as_view(), name="rectification-return"),
    path("rectifications/<int:pk>/files/<int:evidence>/", views.EvidenceFile.as_view(), name="evidence-file"),
    path("checklists/", views.ChecklistList.as_view(), name="checklist-list"),
    path("checklists/<int:station>/<int:year>/", views.ChecklistDetail.as_view(), name="checklist-detail"),
    path(
        "checklists/<int:station>/<int:year>/<str:action>/",
        views.ChecklistAction.as_view(),
        name="checklist-action",
    ),
    path("awards/", views.AwardList.as_view(), name="award-list"),
    path("awards/open/", views.AwardOpen.as_view(), name="award-open"),
    path("awards/<int:pk>/", views.AwardDetail.as_view(), name="award-detail"),
    path("awards/<int:pk>/nominate/", views.AwardNominate.as_view(), name="award-nominate"),
    path("awards/<int:pk>/advance/", views.AwardAdvance.as_view(), name="award-advance"),
    path("nominations/<int:pk>/<str:action>/", views.NominationAction.as_view(), name="nomination-action"),
    path("objections/<int:pk>/handle/", views.ObjectionHandle.as_view(), name="objection-handle"),
]
