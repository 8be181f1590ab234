"""Second factor (SECURITY AUTH-7): TOTP (django-otp) for the three administrators and MFA_REQUIRED_ROLES.

A user who needs a second factor and has signed in with the password only reaches the token page,
the first-time set-up page and logout. Failed codes are audited and throttled (django-otp's
exponential back-off, stored on the device row so every worker sees it); device changes are audited.
"""

from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login

from stations.forms import add_service_errors
from stations.middleware import _url_name
from stations.mixins import CapabilityRequired, NoStore
from stations.roles import requires_second_factor

from . import mfa_selectors, mfa_services
from .mfa_selectors import confirmed_device

# The pages a password-only user who needs a second factor may still open.
MFA_EXEMPT_URL_NAMES = {"logout", "mfa:verify", "mfa:setup", "set_language"}


def needs_second_factor(user) -> bool:
    return requires_second_factor(user)


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


class SetupRenewForm(forms.Form):
    """The 换一个密钥 button of the set-up page."""

    renew = forms.BooleanField()


class DeviceResetForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = mfa_selectors.device_reset_accounts()


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("stations:home")


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
        if form.is_valid():
            try:
                mfa_services.second_factor_verify(
                    actor=request.user, device=self.device, token=form.cleaned_data["token"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                otp_login(request, self.device)
                return redirect(_safe_next(request))
        return self.render(form)

    def render(self, form):
        return render(self.request, "stations/mfa_verify.html", {"form": form, "next": _safe_next(self.request)})


class TokenSetup(NoStore, View):
    """First sign-in without a device: show a secret as text, store the device once a valid code confirms it.

    Opening the page writes nothing: the secret waits in the session (the same one on every reload)
    until it is confirmed or the owner asks for a new one.
    """

    def dispatch(self, request, *args, **kwargs):
        if not needs_second_factor(request.user) or request.user.is_verified():
            return redirect("stations:home")
        if confirmed_device(request.user):
            return redirect("mfa:verify")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        key, _new = mfa_services.setup_key(request.session, request.user)
        return self.render(key, TokenForm())

    def post(self, request):
        if SetupRenewForm(request.POST).is_valid():
            mfa_services.setup_key_renew(request.session, request.user)
            messages.info(request, _("已生成新的密钥，请在身份验证器中重新添加。"))
            return redirect("mfa:setup")
        key, new = mfa_services.setup_key(request.session, request.user)
        form = TokenForm(request.POST)
        if new:  # the secret the code was made from is gone (session renewed elsewhere): start again
            form.is_valid()
            form.add_error("token", _("密钥已更新，请在身份验证器中添加下面的新密钥后再输入动态口令。"))
        elif form.is_valid():
            try:
                device = mfa_services.device_enrol(actor=request.user, key=key, token=form.cleaned_data["token"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                mfa_services.setup_key_forget(request.session)
                otp_login(request, device)
                messages.success(request, _("动态口令已启用。"))
                return redirect("stations:home")
        return self.render(key, form)

    def render(self, key, form):
        device = mfa_services.setup_device(self.request.user, key)
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
        from stations.views import paginate

        query = request.GET.get("q", "").strip()[:50]
        page, querystring = paginate(request, mfa_selectors.second_factor_accounts(query=query))
        return render(request, "stations/mfa_devices.html", {"page": page, "query": querystring})

    def post(self, request):
        form = DeviceResetForm(request.POST)
        if not form.is_valid():
            raise Http404("no such account")
        user = form.cleaned_data["user"]
        if user == request.user:
            messages.error(request, _("不能重置自己的动态口令。"))
            return redirect("mfa:devices")
        mfa_services.device_reset(actor=request.user, user=user)
        messages.success(request, _("已重置 %(u)s 的动态口令，下次登录时重新绑定。") % {"u": user.username})
        return redirect("mfa:devices")
