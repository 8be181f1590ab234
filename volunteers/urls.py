"""URLs of the volunteers app."""

app_name = "volunteers"
urlpatterns: list = []
