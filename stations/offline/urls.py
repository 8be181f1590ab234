"""URLs of offline entry (namespace `offline`); the service worker lives at the site root."""

from django.urls import path

from . import views

app_name = "offline"
urlpatterns = [
    path("sw.js", views.ServiceWorker.as_view(), name="service-worker"),
    path("offline/", views.Outbox.as_view(), name="outbox"),
    path("offline/pages/", views.Pages.as_view(), name="pages"),
    path("offline/sync/", views.Sync.as_view(), name="sync"),
]
