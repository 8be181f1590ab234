"""The search page: GET /search/?q=…, results grouped by kind, each kind as its list shows it."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views import View

from stations.mixins import NoStore

from . import registry


class Search(LoginRequiredMixin, NoStore, View):
    def get(self, request):
        if not registry.searchable(request.user):
            raise PermissionDenied("nothing to search")
        term = request.GET.get("q", "").strip()[: registry.MAX_LENGTH]
        groups = registry.search(user=request.user, term=term)
        return render(
            request,
            "stations/search/results.html",
            {"term": term, "groups": groups, "found": any(group.rows for group in groups)},
        )
