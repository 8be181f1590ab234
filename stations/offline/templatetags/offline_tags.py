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
    # station users prepare their quick-entry pages from any page; users above the station only
    # on a scoring page (nothing is kept on their phone otherwise)
    prepare = has_capability(user, "offline.station_pages") or context.get("offline_kind") == "score"
    return {"mode": "signed-in", "prepare": prepare, "user_id": user.pk}
