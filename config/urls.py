"""Root URLconf: authentication, then each app under its own prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from stations.accounts.forms import LoginForm
from stations.accounts.views import Logout, PasswordChange

handler400 = "stations.errors.bad_request"  # a lost database in middleware is a 503 too (REL-4)
handler500 = "stations.errors.server_error"
handler404 = "stations.errors.page_not_found"
handler403 = "stations.errors.permission_denied"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", Logout.as_view(), name="logout"),
    path("password/", PasswordChange.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("mfa/", include("stations.accounts.mfa_urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("volunteers/", include("volunteers.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("activities/", include("activities.urls")),
    path("inspections/", include("inspections.urls")),
    path("reports/", include("stations.reports.urls")),
    path("", include("stations.offline.urls")),
    path("notifications/", include("stations.notifications.urls")),
    path("search/", include("stations.search.urls")),
    path("", include("stations.urls")),
]
