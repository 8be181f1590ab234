"""Home-page and workstation-page panels: the one way apps add them, and the stations app's own.

An app declares its panels on its AppConfig as dotted paths (`home_panels = ["<app>.panels.name"]`,
`station_panels = [...]`), each a function `(request)` or `(request, station)` in the app's `panels.py`
that returns rendered HTML or None (nothing to show, or the user may not see it). Panels ask selectors
only (`tests/test_layers.py`). Pages show them in the apps' navigation order.
"""

from functools import cache

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from . import selectors
from .roles import has_capability, supervises_units


def due_panel(request):
    user = request.user
    if not has_capability(user, "stations.view") or supervises_units(user):
        return None  # above the county: a column of the units table (stations.documents_missing)
    missing = selectors.missing_system_documents(user=user)
    deferred = (
        list(selectors.deferred_due_for_review(user=user, on=timezone.localdate()))
        if has_capability(user, "stations.manage")
        else []
    )
    if not missing and not deferred:
        return None
    return render_to_string(
        "stations/panels/due.html",
        {"missing": missing[:10], "missing_count": len(missing), "deferred": deferred},
        request=request,
    )


@cache
def _registered(kind: str) -> tuple:
    configs = sorted(apps.get_app_configs(), key=lambda c: getattr(c, "nav_order", 100))
    return tuple(import_string(path) for config in configs for path in getattr(config, kind, ()))


def home_panels(request) -> list[str]:
    return [html for panel in _registered("home_panels") if (html := panel(request))]


def station_panels(request, station) -> list[str]:
    return [html for panel in _registered("station_panels") if (html := panel(request, station))]
