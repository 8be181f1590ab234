"""URL of the header search (namespace `search`)."""

from django.urls import path

from . import views

app_name = "search"
urlpatterns = [path("", views.Search.as_view(), name="results")]
