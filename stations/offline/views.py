"""The service worker script, the list of pages a phone may keep, the outbox page and the sync endpoint."""

import json

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from stations.mixins import CapabilityRequired, NoStore

from . import selectors, services
from .registry import KINDS

# What every offline page needs besides itself (the service worker caches them with the pages).
ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/app.js",
    "js/offline/offline.js",
    "js/offline/outbox.js",
    "offline/manifest.webmanifest",
    "offline/icon-192.png",
    "offline/icon-512.png",
)


class ServiceWorker(View):
    """Served from the site root so that its scope covers every page (a worker under /static/ could
    only control /static/). Anyone signed in may load it; it holds no data of its own."""

    def get(self, request):
        path = finders.find("js/offline/sw.js")
        if path:
            with open(path, encoding="utf-8") as handle:
                script = handle.read()
        else:  # collected static files only (production without finders)
            with staticfiles_storage.open("js/offline/sw.js") as handle:
                script = handle.read().decode("utf-8")
        response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
        response["Service-Worker-Allowed"] = "/"
        response["Cache-Control"] = "no-cache"  # the browser checks for a new worker on every visit
        return response


class Pages(CapabilityRequired, NoStore, View):
    """The quick-entry pages this user's phone may keep, and the static files they need."""

    capability = "offline.use"

    def get(self, request):
        return JsonResponse(
            {
                "pages": [reverse("offline:outbox"), *selectors.offline_pages(user=request.user)],
                "assets": [static(name) for name in ASSETS],
            }
        )


class Outbox(CapabilityRequired, NoStore, View):
    """Entries waiting on this phone and those the server sent back, with their reasons (drawn by
    js/offline/outbox.js from the device's store: the server does not know them)."""

    capability = "offline.use"

    def get(self, request):
        kinds = {
            "visit": _("走访"),
            "activity": _("活动"),
            "service": _("服务时长"),
            "score": _("督查评分"),
        }
        return render(
            request,
            "offline/outbox.html",
            {"kind_labels": {name: kinds.get(name, name) for name in KINDS}, "offline_outbox": True},
        )


class Sync(CapabilityRequired, NoStore, View):
    """POST one entry {client_id, kind, object, fields, base_version} as JSON (or the same keys as form
    fields, `fields` then a JSON text). CSRF applies as to every POST: the phone sends the token header."""

    capability = "offline.use"
    http_method_names = ["post"]

    def post(self, request):
        if request.content_type == "application/json":
            try:
                entry = json.loads(request.body or b"{}")
            except ValueError:
                entry = None
        else:
            entry = request.POST.dict()
            try:
                entry["fields"] = json.loads(entry.get("fields") or "{}")
            except ValueError:
                entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("fields", {}), dict):
            return JsonResponse({"state": "refused", "errors": {"__all__": [_("录入数据格式错误")]}}, status=400)
        outcome = services.submission_apply(
            actor=request.user,
            client_id=entry.get("client_id", ""),
            kind=str(entry.get("kind", "")),
            object_id=entry.get("object"),
            fields=entry.get("fields") or {},
            base_version=entry.get("base_version"),
        )
        return JsonResponse(outcome.body, status=outcome.status, json_dumps_params={"ensure_ascii": False})
