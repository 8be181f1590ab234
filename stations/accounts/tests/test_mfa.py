"""AUTH-7: TOTP second factor for the administrators and the roles in MFA_REQUIRED_ROLES."""

import io
from base64 import b32encode
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from stations.accounts.tests.mfa_helpers import code_for, device_for, setup_page_device
from stations.models import AuditEntry, Role
from stations.tests.factories import PASSWORD
from tests.test_access_matrix import ENTRIES

pytestmark = pytest.mark.django_db

ADMINS = ["sys", "sec", "audit"]


def password_login(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def every_url(world) -> list[str]:
    urls = []
    for name, entry in sorted(ENTRIES.items()):
        if name in {"login", "logout", "set_language", "mfa:verify", "mfa:setup"}:
            continue
        obj = entry.target(world.a) if entry.target else None
        urls.append(reverse(name, kwargs=entry.kwargs(obj) if obj is not None else None))
    return [*urls, "/admin/", "/no-such-page/"]


@pytest.mark.parametrize("role", ADMINS)
def test_password_only_administrator_reaches_only_the_token_page(world, role):
    user = world.user(role)
    device_for(user)
    client = password_login(user)
    urls = every_url(world)
    assert len(urls) > 20
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("mfa:verify")), url
    page = client.get(reverse("mfa:verify"))
    assert page.status_code == 200
    assert "动态口令验证" in page.content.decode()
    assert page["Cache-Control"].startswith("no-store")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("stations:home"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ADMINS)
def test_a_valid_code_opens_the_administrators_pages(world, role):
    user = world.user(role)
    device = device_for(user)
    client = password_login(user)
    target = reverse("stations:home")
    response = client.post(reverse("mfa:verify"), {"token": code_for(device), "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert client.get(target).status_code == 200
    assert AuditEntry.objects.filter(action="auth.mfa_verified", actor=user, result="ok").count() == 1


def test_next_is_kept_and_foreign_next_is_ignored(world):
    user = world.user("audit")
    device = device_for(user)
    client = password_login(user)
    first = client.get(reverse("stations:audit-list"))
    assert first["Location"] == reverse("mfa:verify") + "?next=" + reverse("stations:audit-list").replace("/", "%2F")
    response = client.post(reverse("mfa:verify"), {"token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("stations:home")


def test_wrong_codes_are_refused_audited_and_throttled(world):
    user = world.user("sec")
    device = device_for(user)
    client = password_login(user)
    good = code_for(device)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    with freeze_time(timezone.now()) as frozen:
        response = client.post(reverse("mfa:verify"), {"token": wrong})
        assert response.status_code == 200
        assert "动态口令不正确或已过期" in response.content.decode()
        assert client.get(reverse("stations:home")).status_code == 302
        # Right after a failure even the right code is refused: back-off of 1 s, then 2 s, 4 s …
        response = client.post(reverse("mfa:verify"), {"token": code_for(device)})
        assert "错误次数过多" in response.content.decode()
        assert client.get(reverse("stations:home")).status_code == 302
        for expected in ("abc", "12345", "１２３４５６"):  # not six ASCII digits: a field error, not counted
            assert "请输入 6 位数字动态口令" in client.post(reverse("mfa:verify"), {"token": expected}).content.decode()
        frozen.tick(timedelta(seconds=2))
        response = client.post(reverse("mfa:verify"), {"token": code_for(device)})
        assert response.status_code == 302
    assert client.get(reverse("stations:home")).status_code == 200
    entries = AuditEntry.objects.filter(actor=user, action="auth.mfa_failed")
    assert [e.result for e in entries.order_by("pk")] == ["failed", "denied"]
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # reset by the valid code


def test_a_code_cannot_be_replayed(world):
    user = world.user("sys")
    device = device_for(user)
    code = code_for(device)
    first = password_login(user)
    assert first.post(reverse("mfa:verify"), {"token": code}).status_code == 302
    second = password_login(user)
    assert "动态口令不正确" in second.post(reverse("mfa:verify"), {"token": code}).content.decode()


def test_first_login_without_a_device_shows_the_secret_and_confirms_with_a_code(world):
    user = world.user("audit")
    client = password_login(user)
    response = client.get(reverse("stations:home"))
    assert response["Location"].startswith(reverse("mfa:setup"))
    page = client.get(reverse("mfa:setup"))
    text = page.content.decode()
    pending = setup_page_device(page)
    secret = b32encode(pending.bin_key).decode()
    assert secret in text and "otpauth://totp/" in text and f"secret={secret}" in text
    # The same secret on reload (it does not change under the user's feet), and nothing stored yet.
    assert client.get(reverse("mfa:setup")).content.decode().count(secret) >= 1
    assert not TOTPDevice.objects.filter(user=user).exists()
    wrong = "000000" if code_for(pending) != "000000" else "111111"
    assert "动态口令不正确" in client.post(reverse("mfa:setup"), {"token": wrong}).content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    with freeze_time(timezone.now() + timedelta(seconds=3)):
        response = client.post(reverse("mfa:setup"), {"token": code_for(pending)})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and b32encode(device.bin_key).decode() == secret
    assert client.get(reverse("stations:audit-list")).status_code == 200
    actions = list(AuditEntry.objects.filter(actor=user).values_list("action", "result"))
    assert ("auth.mfa_setup_failed", "failed") in actions
    assert ("auth.mfa_device_confirmed", "ok") in actions
    # With a confirmed device the set-up page no longer shows a secret: it sends to the token page.
    other = password_login(user)
    assert other.get(reverse("mfa:setup"))["Location"] == reverse("mfa:verify")


def test_opening_the_setup_page_stores_nothing_until_a_valid_code(world):
    user = world.user("sec")
    client = password_login(user)
    devices, entries = TOTPDevice.objects.count(), AuditEntry.objects.count()
    first = client.get(reverse("mfa:setup"))
    second = client.get(reverse("mfa:setup"))
    assert first.status_code == second.status_code == 200
    assert (TOTPDevice.objects.count(), AuditEntry.objects.count()) == (devices, entries)
    secret = b32encode(setup_page_device(first).bin_key).decode()
    assert f'data-testid="mfa-secret">{secret}<' in second.content.decode()
    # A new secret only when asked for (a POST); the old one no longer confirms.
    old = setup_page_device(first)
    page = client.get(client.post(reverse("mfa:setup"), {"renew": "1"})["Location"])
    assert "已生成新的密钥" in page.content.decode()
    fresh = setup_page_device(page)
    assert fresh.key != old.key and TOTPDevice.objects.count() == devices
    if code_for(old) != code_for(fresh):
        refused = client.post(reverse("mfa:setup"), {"token": code_for(old)})
        assert "动态口令不正确" in refused.content.decode()
    response = client.post(reverse("mfa:setup"), {"token": code_for(fresh)})
    assert response.status_code == 302 and response["Location"] == reverse("stations:home")
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == fresh.key
    assert AuditEntry.objects.filter(actor=user, action="auth.mfa_device_confirmed").count() == 1
    assert client.get(reverse("stations:home")).status_code == 200  # verified: the pages open
    # The code that confirmed the device cannot be used again on the token page.
    again = password_login(user)
    assert "动态口令不正确" in again.post(reverse("mfa:verify"), {"token": code_for(fresh)}).content.decode()


def test_a_leftover_unconfirmed_device_is_replaced_by_the_confirmed_one(world):
    """Rows the former set-up page stored on opening are removed when the owner enrols."""
    user = world.user("sys")
    leftover = device_for(user, confirmed=False)
    client = password_login(user)
    page = client.get(reverse("mfa:setup"))
    assert b32encode(leftover.bin_key).decode() not in page.content.decode()
    client.post(reverse("mfa:setup"), {"token": code_for(setup_page_device(page))})
    assert list(TOTPDevice.objects.filter(user=user).values_list("confirmed", flat=True)) == [True]


@pytest.mark.parametrize("role", ["staff", "head", "county", "city", "prov"])
def test_station_and_supervisor_roles_need_no_code_by_default(world, role):
    client = password_login(world.user(role))
    assert client.get(reverse("stations:home")).status_code == 200
    assert client.get(reverse("mfa:verify"))["Location"] == reverse("stations:home")


def test_roles_listed_in_mfa_required_roles_need_a_code(world, settings):
    settings.MFA_REQUIRED_ROLES = [Role.COUNTY_OFFICER]
    county = password_login(world.user("county"))
    assert county.get(reverse("stations:workstation-list"))["Location"].startswith(reverse("mfa:setup"))
    staff = password_login(world.user("staff"))
    assert staff.get(reverse("stations:workstation-list")).status_code == 200


def test_security_administrator_resets_a_lost_device_and_it_is_audited(world, client_as):
    victim = world.user("sys")
    device_for(victim)
    client = client_as(world.user("sec"))
    page = client.get(reverse("mfa:devices"))
    assert victim.username in page.content.decode() and "已绑定" in page.content.decode()
    response = client.post(reverse("mfa:devices"), {"user": victim.pk})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=victim).exists()
    entry = AuditEntry.objects.get(action="auth.mfa_device_reset")
    assert entry.actor == world.user("sec") and entry.object_id == str(victim.pk)
    # The administrator re-binds at the next sign-in.
    assert password_login(victim).get(reverse("stations:home"))["Location"].startswith(reverse("mfa:setup"))
    # Nobody but the security administrator resets devices.
    assert client_as(world.user("sys")).post(reverse("mfa:devices"), {"user": victim.pk}).status_code == 403


def test_demo_administrators_sign_in_with_the_demo_totp_command(settings):
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_totp", "anquan_admin", stdout=out, stderr=io.StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    client = Client()
    client.post(reverse("login"), {"username": "anquan_admin", "password": "Guanai@2026demo"})
    assert client.get(reverse("stations:home"))["Location"].startswith(reverse("mfa:verify"))
    assert client.post(reverse("mfa:verify"), {"token": code}).status_code == 302
    assert client.get(reverse("stations:home")).status_code == 200
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("demo_totp", "anquan_admin", stdout=io.StringIO())


def test_seed_demo_tells_administrators_how_to_get_a_code():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo_totp" in out.getvalue()
    assert TOTPDevice.objects.filter(confirmed=True).count() == 3


def test_seed_demo_gives_no_known_totp_secret_in_production(settings):
    settings.PRODUCTION = True
    call_command("seed_demo", stdout=io.StringIO())
    assert not TOTPDevice.objects.exists()


def test_device_list_searches_paginates_and_keeps_its_query_count(world, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stations.tests.factories import UserFactory

    client = client_as(world.user("sec"))
    for number in range(60):
        device_for(UserFactory(username=f"admin_many_{number:03d}", role=Role.AUDIT_ADMIN))
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("mfa:devices")).content.decode()
    assert "共 63 条" in page and "下一页" in page
    found = client.get(reverse("mfa:devices"), {"q": "many_007"}).content.decode()
    assert "admin_many_007" in found and "admin_many_008" not in found and "共 1 条" in found
    for number in range(60, 600):
        UserFactory(username=f"admin_many_{number:03d}", role=Role.SYSTEM_ADMIN)
    with CaptureQueriesContext(connection) as many:
        assert "共 603 条" in client.get(reverse("mfa:devices")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
