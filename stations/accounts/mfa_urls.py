"""Second-factor pages (AUTH-7), namespace `mfa`, mounted at /mfa/ by config/urls.py."""

from django.urls import path

from . import mfa

app_name = "mfa"
urlpatterns = [
    path("verify/", mfa.TokenVerify.as_view(), name="verify"),
    path("setup/", mfa.TokenSetup.as_view(), name="setup"),
    path("devices/", mfa.DeviceList.as_view(), name="devices"),
]
