"""`{% offline_status %}`: the offline badge and script of every page (one include in base.html)."""

from django import template

from stations.roles import has_capability

register = template.Library()


@register.inclusion_tag("offline/_status.html", takes_context=True)
def offline_status(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # the sign-in page: a session has ended here, so the pages kept on the phone go
        return {"mode": "signed-out"}
    if not has_capability(user, "offline.use"):
        return {"mode": ""}
    # The phone prepares offline use (service worker, kept pages) where the user does offline work: a
    # station user on a quick-entry page or the outbox page; a user above the station only on a
    # scoring page (nothing is kept on their phone otherwise).
    work_page = bool(context.get("offline_kind")) or bool(context.get("offline_outbox"))
    prepare = context.get("offline_kind") == "score" or (work_page and has_capability(user, "offline.station_pages"))
    return {"mode": "signed-in", "prepare": prepare, "user_id": user.pk}
