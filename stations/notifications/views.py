"""The notifications page: the user's own notifications; opening one marks it read and follows its link."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from stations.mixins import NoStore
from stations.views import paginate

from . import selectors, services


class NotificationList(LoginRequiredMixin, NoStore, View):
    def get(self, request):
        page, query = paginate(request, selectors.notification_list(user=request.user))
        return render(
            request,
            "stations/notifications/list.html",
            {"page": page, "query": query, "unread": selectors.unread_count(user=request.user)},
        )


class NotificationOpen(LoginRequiredMixin, View):
    """POST (CSRF) with the notification's id: marking read is a change, so it is never a GET."""

    http_method_names = ["post"]

    def post(self, request):
        raw = request.POST.get("id", "")
        if not raw.isdigit():
            return redirect("notifications:list")
        link = services.notification_open(user=request.user, pk=int(raw))
        return redirect(link or "notifications:list")


class NotificationsReadAll(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        services.notifications_mark_all_read(user=request.user)
        return redirect("notifications:list")
