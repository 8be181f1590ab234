"""URLs of notifications (namespace `notifications`)."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationList.as_view(), name="list"),
    path("open/", views.NotificationOpen.as_view(), name="open"),
    path("read-all/", views.NotificationsReadAll.as_view(), name="read-all"),
]
