"""The stations app's blocks on the home page: what is due in the user's scope."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors
from .roles import has_capability


def due_panel(request):
    user = request.user
    if not has_capability(user, "stations.view"):
        return None
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
