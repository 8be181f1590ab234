"""URLs of the stations app."""

from django.urls import include, path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.Home.as_view(), name="home"),
    path("stations/", views.WorkstationList.as_view(), name="workstation-list"),
    path("stations/lookup/", views.StationLookup.as_view(), name="station-lookup"),
    path("stations/new/", views.WorkstationCreate.as_view(), name="workstation-create"),
    path("stations/<int:pk>/", views.WorkstationDetail.as_view(), name="workstation-detail"),
    path("stations/<int:pk>/edit/", views.WorkstationEdit.as_view(), name="workstation-edit"),
    path("stations/<int:pk>/status/", views.WorkstationStatus.as_view(), name="workstation-status"),
    path("stations/<int:pk>/systems/", views.SystemDocumentUpload.as_view(), name="system-document-upload"),
    path("stations/<int:pk>/funding/", views.FundingAdd.as_view(), name="funding-add"),
    path("stations/<int:pk>/files/logo/", views.WorkstationFile.as_view(), {"kind": "logo"}, name="workstation-logo"),
    path(
        "stations/<int:pk>/files/system/<slug:system>/",
        views.WorkstationFile.as_view(),
        {"kind": "system"},
        name="system-document-file",
    ),
    path("exports/", include("stations.exports.urls")),
    path("audit/", include("stations.audit.urls")),
    path("accounts/users/", views.UserList.as_view(), name="user-list"),
    path("accounts/users/new/", views.UserCreate.as_view(), name="user-create"),
    path("accounts/users/<int:pk>/", views.UserEdit.as_view(), name="user-edit"),
    path("accounts/users/<int:pk>/password/", views.UserPasswordReset.as_view(), name="user-password"),
    path("accounts/users/<int:pk>/role/", views.UserRole.as_view(), name="user-role"),
    path("accounts/", include("stations.accounts.urls")),
    path("large-type/", views.ToggleLargeType.as_view(), name="toggle-large-type"),
]
