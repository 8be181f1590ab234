"""The password-change page and the lockout page (the second-factor pages are in `mfa.py`)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from stations.confirm import Step, confirmation
from stations.mixins import CapabilityRequired, NoStore
from stations.services import password_changed_by_user

from . import selectors, services
from .middleware import password_expired


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(forced=password_expired(self.request.user), **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed_by_user(user=self.request.user, session_key=self.request.session.session_key)
        return response


class LockoutList(CapabilityRequired, NoStore, View):
    capability = "security.unlock"

    def get(self, request):
        return render(request, "stations/lockout_list.html", {"attempts": selectors.lockout_list(user=request.user)})

    def post(self, request):
        username = request.POST.get("username", "")
        step = Step(
            title=_("解除锁定：%(u)s") % {"u": username},
            effects=[
                _("清除该账户的登录失败记录，账户可以立即再次登录；"),
                _("解除操作记入审计日志。请先确认是本人忘记密码，而不是他人在猜测密码。"),
            ],
            undo=_(
                "解除后不能恢复锁定；如仍有异常登录，账户会在连续失败 %(n)d 次后再次自动锁定，"
                "也可由安全管理员停用账户。"
            )
            % {"n": settings.AXES_FAILURE_LIMIT},
            button=_("确认解除锁定"),
            back=reverse("stations:lockout-list"),
        )
        if page := confirmation(request, step):
            return page
        services.lockout_reset(actor=request.user, username=username)
        messages.success(request, _("已解除锁定：%(u)s") % {"u": username})
        return redirect("stations:lockout-list")


class Logout(auth_views.LogoutView):
    """Sign-out also empties the browser's storage for the site: the offline pages (Cache API), the
    device's outbox and the service worker (issue 17; DATA-6 residual information). Not `"cache"`, the
    HTTP cache: it holds no signed-in page (every one is `no-store`), and Chromium may stall the sign-out
    for seconds, tens under load, while it clears it (crbug.com/40233601)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response
