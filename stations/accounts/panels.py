"""The administrators' home panels of sign-in security: locked accounts (security administrator)."""

from django.template.loader import render_to_string

from stations.roles import has_capability

from . import selectors


def locked_accounts_panel(request):
    """Accounts locked now by repeated failed sign-ins, with the way to the unlock page."""
    if not has_capability(request.user, "security.unlock"):
        return None
    return render_to_string(
        "stations/panels/locked_accounts.html",
        {"locked": selectors.locked_now(user=request.user), "failures": selectors.failures_today(user=request.user)},
        request=request,
    )
