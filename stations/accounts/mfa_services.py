"""Writes of the second factor (AUTH-7): code checks, enrolment and reset of TOTP devices, all audited.

Enrolment writes nothing until the owner proves the secret with a valid code: the secret offered on
the set-up page lives in the session (`setup_key`), so opening or reloading that page stores no row.
"""

import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from stations.audit.log import audit
from stations.models import AuditResult, User
from stations.roles import require

SETUP_SESSION_KEY = "mfa_setup"
SETUP_KEY_BYTES = 20  # django-otp's default: 160-bit secrets


# --- the secret offered on the set-up page (session only, no row) ------------------------------


def setup_key(session, user) -> tuple[str, bool]:
    """(the secret offered to `user`, whether it was just made). The same secret comes back on every
    reload until it is confirmed or a new one is asked for."""
    pending = session.get(SETUP_SESSION_KEY)
    if isinstance(pending, dict) and pending.get("user") == user.pk and pending.get("key"):
        return pending["key"], False
    key = random_hex(SETUP_KEY_BYTES)
    session[SETUP_SESSION_KEY] = {"user": user.pk, "key": key}
    return key, True


def setup_key_renew(session, user) -> str:
    session.pop(SETUP_SESSION_KEY, None)
    return setup_key(session, user)[0]


def setup_key_forget(session) -> None:
    session.pop(SETUP_SESSION_KEY, None)


def setup_device(user, key: str) -> TOTPDevice:
    """The device the set-up page describes (secret, otpauth:// URI); not saved."""
    return TOTPDevice(user=user, name="TOTP", key=key, confirmed=False)


# --- codes --------------------------------------------------------------------------------------


def second_factor_verify(*, actor: User, device: TOTPDevice, token: str) -> None:
    """Check a code against the actor's confirmed device. Refusals and throttling are audited and raised
    as an error of the `token` field; django-otp keeps the back-off and the last used step on the row."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        audit(
            actor=actor,
            action="auth.mfa_failed",
            obj=actor,
            result=AuditResult.DENIED,
            changes={"throttled": True, "failures": (info or {}).get("failure_count")},
        )
        raise ValidationError({"token": _("错误次数过多，请稍后再试（每次失败后等待时间加倍）。")})
    if not device.verify_token(token):
        audit(actor=actor, action="auth.mfa_failed", obj=actor, result=AuditResult.FAILED)
        raise ValidationError({"token": _("动态口令不正确或已过期。")})
    audit(actor=actor, action="auth.mfa_verified", obj=actor)


def device_enrol(*, actor: User, key: str, token: str) -> TOTPDevice:
    """Store the actor's device for `key` once `token` proves the authenticator app holds it.

    No throttle here, unlike the token page: whoever can post to the set-up page has just been shown
    the secret, so guessing its codes gains nothing. Wrong codes are audited.
    """
    device = setup_device(actor, key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not (token.isdigit() and totp.verify(int(token), device.tolerance)):
        audit(actor=actor, action="auth.mfa_setup_failed", obj=actor, result=AuditResult.FAILED)
        raise ValidationError({"token": _("动态口令不正确或已过期。")})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # two tabs confirm one at a time
        if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
            raise ValidationError(_("已绑定动态口令，请在动态口令验证页输入口令。"))
        # unconfirmed rows left by the former set-up page, which stored the secret when it was opened
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        device.confirmed = True
        device.last_t = totp.t()  # this code cannot be used again on the token page
        device.drift = totp.drift  # django-otp's OTP_TOTP_SYNC default; the project does not turn it off
        device.save()
        audit(
            actor=actor,
            action="auth.mfa_device_confirmed",
            obj=actor,
            changes={"totp_device": [None, device.pk]},
        )
    return device


@transaction.atomic
def device_reset(*, actor: User, user: User) -> int:
    """The security administrator removes a lost device; the owner enrols again at the next sign-in."""
    require(actor, "security.manage")
    devices = TOTPDevice.objects.filter(user=user)
    ids = sorted(devices.values_list("pk", flat=True))
    devices.delete()
    audit(actor=actor, action="auth.mfa_device_reset", obj=user, changes={"totp_devices": [ids, []]})
    return len(ids)
