"""Test helpers for the second factor (AUTH-7)."""

import re
import time
from base64 import b32decode

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from stations.accounts.mfa import needs_second_factor

DEMO_KEY = "3132333435363738393031323334353637383930"


def device_for(user, *, confirmed=True) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", key=DEMO_KEY, confirmed=confirmed)


def setup_page_device(response) -> TOTPDevice:
    """The device whose secret the set-up page shows, as the owner's authenticator app holds it.

    Not saved: the page stores nothing until a valid code confirms the secret."""
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7=]+)<', response.content.decode()).group(1)
    return TOTPDevice(name="TOTP", key=b32decode(secret).hex(), confirmed=False)


def code_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def verify_session(client, user) -> None:
    """Mark the test client's session as verified with a confirmed device (as after a valid code)."""
    if not needs_second_factor(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_for(user).persistent_id
    session.save()
