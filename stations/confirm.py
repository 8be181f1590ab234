"""Irreversible steps confirm first (issue 14 §3): one mechanism for every such POST.

A view that locks, decides, seals or unlocks calls `confirmation(request, step)` first: without
`confirm=1` in the POST it answers with a page that says what will be locked or changed, what is still
missing, and who can undo it and how, and re-posts the same fields with `confirm=1` when the user
confirms. Without JavaScript, from a script or from a test, the step is never taken by one click.
"""

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

NOTHING_MISSING = _("无")


@dataclass
class Step:
    title: str  # "站长提交 2025 年度台账"
    effects: list[str]  # what will be locked or changed
    undo: str  # who can undo it, and how ("不能撤销" says so)
    missing: list[str] = field(default_factory=list)  # what is still missing (the step may still be taken)
    button: str = _("确认")
    back: str = ""  # where "取消" goes (the page the step was started from)
    danger: bool = True


def confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def confirmation(request, step: Step) -> HttpResponse | None:
    """None when the POST carries `confirm=1` (go on with the step); else the confirmation page."""
    if confirmed(request):
        return None
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "confirm")
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "includes/confirm.html",
        {"step": step, "fields": fields, "action": request.get_full_path(), "nothing_missing": NOTHING_MISSING},
    )
