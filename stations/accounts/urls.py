"""The lockout page, included by stations/urls.py into the `stations` namespace (`stations:lockout-list`).

The second-factor pages have their own namespace `mfa` (`mfa_urls.py`, mounted at /mfa/ by config/urls.py).
"""

from django.urls import path

from . import views

urlpatterns = [
    path("lockouts/", views.LockoutList.as_view(), name="lockout-list"),
]
