"""Whether the navbar shows the search box (users who may see any kind the search covers)."""

from . import registry


def search_box(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"search_box": registry.searchable(user)}
