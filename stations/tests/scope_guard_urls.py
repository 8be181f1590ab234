"""Two tiny views for `test_scope_guard.py`: one forgets the user's scope, one does not."""

from django.http import HttpResponse
from django.urls import path

from stations.models import Funding
from stations.scoping import visible_to


def forgets_scope(request):
    return HttpResponse(f"经费 {Funding.objects.count()} 条")


def keeps_scope(request):
    return HttpResponse(f"经费 {visible_to(Funding.objects.all(), request.user).count()} 条")


urlpatterns = [
    path("forgets-scope/", forgets_scope, name="forgets-scope"),
    path("keeps-scope/", keeps_scope, name="keeps-scope"),
]
