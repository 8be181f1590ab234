"""Second factor (SECURITY AUTH-7): TOTP (django-otp) for the three administrators and MFA_REQUIRED_ROLES.

A user who needs a second factor and has signed in with the password only reaches the token page,
the first-time set-up page and logout. Failed codes are audited and throttled (django-otp's
exponential back-off, stored on the device row so every worker sees it); device changes are audited.
"""

from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from stations.audit.log import audit
from stations.middleware import _url_name
from stations.mixins import CapabilityRequired, NoStore
from stations.models import AuditResult, User
from stations.roles import requires_second_factor, second_factor_roles

# The pages a password-only user who needs a second factor may still open.
MFA_EXEMPT_URL_NAMES = {"logout", "mfa:verify", "mfa:setup", "set_language"}


def needs_second_factor(user) -> bool:
    return requires_second_factor(user)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class SecondFactorRequired:
    """Placed after django_otp's OTPMiddleware (which sets `request.user.is_verified`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            needs_second_factor(user)
            and not user.is_verified()
            and _url_name(request) not in MFA_EXEMPT_URL_NAMES
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            target = "mfa:verify" if confirmed_device(user) else "mfa:setup"
            url = reverse(target)
            if request.method == "GET" and request.path_info != "/":
                from django.utils.http import urlencode

                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("动态口令"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("请输入 6 位数字动态口令。"))
        return token


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("stations:home")


def check_token(request, device: TOTPDevice, form: TokenForm, *, action: str) -> bool:
    """Verify the code; refusals and throttling are audited and reported next to the field."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        audit(
            actor=request.user,
            action=action,
            obj=request.user,
            result=AuditResult.DENIED,
            changes={"throttled": True, "failures": (info or {}).get("failure_count")},
        )
        form.add_error("token", _("错误次数过多，请稍后再试（每次失败后等待时间加倍）。"))
        return False
    if not device.verify_token(form.cleaned_data["token"]):
        audit(actor=request.user, action=action, obj=request.user, result=AuditResult.FAILED)
        form.add_error("token", _("动态口令不正确或已过期。"))
        return False
    return True


class TokenVerify(NoStore, View):
    """The token page: the only page a password-only administrator reaches."""

    def dispatch(self, request, *args, **kwargs):
        if not needs_second_factor(request.user) or request.user.is_verified():
            return redirect(_safe_next(request))
        self.device = confirmed_device(request.user)
        if self.device is None:
            return redirect("mfa:setup")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid() and check_token(request, self.device, form, action="auth.mfa_failed"):
            otp_login(request, self.device)
            audit(actor=request.user, action="auth.mfa_verified", obj=request.user)
            return redirect(_safe_next(request))
        return self.render(form)

    def render(self, form):
        return render(self.request, "stations/mfa_verify.html", {"form": form, "next": _safe_next(self.request)})


class TokenSetup(NoStore, View):
    """First sign-in without a device: show the secret as text, confirm it with a valid code."""

    def dispatch(self, request, *args, **kwargs):
        if not needs_second_factor(request.user) or request.user.is_verified():
            return redirect("stations:home")
        if confirmed_device(request.user):
            return redirect("mfa:verify")
        return super().dispatch(request, *args, **kwargs)

    def pending_device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=self.request.user, name="TOTP", confirmed=False)
        return device

    def get(self, request):
        return self.render(self.pending_device(), TokenForm())

    def post(self, request):
        device = self.pending_device()
        form = TokenForm(request.POST)
        if form.is_valid() and check_token(request, device, form, action="auth.mfa_setup_failed"):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit(
                    actor=request.user,
                    action="auth.mfa_device_confirmed",
                    obj=request.user,
                    changes={"totp_device": [None, device.pk]},
                )
            otp_login(request, device)
            messages.success(request, _("动态口令已启用。"))
            return redirect("stations:home")
        return self.render(device, form)

    def render(self, device, form):
        context = {
            "form": form,
            "secret": b32encode(device.bin_key).decode(),
            "config_url": device.config_url,
        }
        return render(self.request, "stations/mfa_setup.html", context)


class DeviceList(CapabilityRequired, NoStore, View):
    """The security administrator sees who has a second factor and resets a lost one."""

    capability = "security.manage"

    def get(self, request):
        from django.db.models import Exists, OuterRef, Q

        from stations.views import paginate

        users = (
            User.objects.filter(Q(role__in=second_factor_roles()) | Q(is_superuser=True), is_active=True)
            .annotate(bound=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
            .order_by("username")
        )
        query = request.GET.get("q", "").strip()[:50]
        if query:
            users = users.filter(
                Q(username__icontains=query) | Q(last_name__icontains=query) | Q(first_name__icontains=query)
            )
        page, querystring = paginate(request, users)
        return render(request, "stations/mfa_devices.html", {"page": page, "query": querystring})

    def post(self, request):
        user = get_object_or_404(User, pk=request.POST.get("user"))
        if user == request.user:
            messages.error(request, _("不能重置自己的动态口令。"))
            return redirect("mfa:devices")
        device_reset(actor=request.user, user=user)
        messages.success(request, _("已重置 %(u)s 的动态口令，下次登录时重新绑定。") % {"u": user.username})
        return redirect("mfa:devices")


@transaction.atomic
def device_reset(*, actor, user) -> int:
    from stations.roles import require

    require(actor, "security.manage")
    devices = TOTPDevice.objects.filter(user=user)
    ids = sorted(devices.values_list("pk", flat=True))
    devices.delete()
    audit(actor=actor, action="auth.mfa_device_reset", obj=user, changes={"totp_devices": [ids, []]})
    return len(ids)
