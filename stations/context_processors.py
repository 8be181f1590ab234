"""Template context shared by every page: the navigation allowed to the user."""

from django.apps import apps


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    configs = sorted(apps.get_app_configs(), key=lambda c: getattr(c, "nav_order", 100))
    items = [
        {"label": label, "url_name": url_name}
        for config in configs
        for label, url_name, capability in getattr(config, "nav_items", [])
        if user.has_cap(capability)
    ]
    return {"nav_items": items, "large_type": request.session.get("large_type", False)}
