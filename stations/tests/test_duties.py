"""三员分立 (SECURITY AC-4, AUTH-3, AUTH-6, AUTH-7, AUD-2): who may create accounts, set passwords and
assign roles, tried through the real forms and URLs; one-time passwords; notices; Django admin."""

import io
import re
from base64 import b32encode
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from conftest import ROLE_KEYS
from stations.accounts.tests.mfa_helpers import code_for, device_for, setup_page_device
from stations.models import AuditEntry, Role, User
from stations.tests.factories import PASSWORD
from tests.test_access_matrix import ENTRIES

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Owner#Chosen2026x"


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9")


def one_time_password_in(page: str) -> str:
    match = re.search(r'data-testid="one-time-password">([^<]+)<', page)
    assert match, "no one-time password shown"
    return match.group(1)


def database_state() -> dict:
    """Every account's stored values (password hash included) and every second-factor device."""
    users = {
        u["pk"]: u
        for u in User.objects.values(
            "pk",
            "username",
            "first_name",
            "last_name",
            "phone",
            "role",
            "workstation_id",
            "org_unit_id",
            "is_active",
            "is_staff",
            "is_superuser",
            "password",
            "must_change_password",
            "one_time_password_until",
        )
    }
    groups = {u.pk: sorted(u.groups.values_list("pk", flat=True)) for u in User.objects.all()}
    permissions = {u.pk: sorted(u.user_permissions.values_list("pk", flat=True)) for u in User.objects.all()}
    devices = sorted(TOTPDevice.objects.values_list("user_id", "key", "confirmed"))
    return {"users": users, "groups": groups, "permissions": permissions, "devices": devices}


# --- the account page is split between the system and the security administrator ---------------


def test_system_administrator_creates_an_account_that_opens_nothing_until_a_role_is_assigned(world, client_as):
    sys_admin = client_as(world.user("sys"))
    form = sys_admin.get(reverse("stations:user-create")).content.decode()
    for field in ('name="username"', 'name="last_name"', 'name="phone"'):
        assert field in form
    for field in ('name="role"', 'name="workstation"', 'name="org_unit"', 'name="is_superuser"'):
        assert field not in form
    response = sys_admin.post(
        reverse("stations:user-create"), {"username": "new_clerk", "last_name": "周", "first_name": "敏", "phone": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    password = one_time_password_in(page)
    assert "一次性密码" in page and "72 小时" in page
    account = User.objects.get(username="new_clerk")
    assert account.role == "" and account.workstation_id is None and account.must_change_password
    entry = AuditEntry.objects.get(action="user.create", object_id=str(account.pk))
    assert entry.actor == world.user("sys") and password not in str(entry.changes)

    owner = Client()
    assert login(owner, "new_clerk", password).status_code == 302
    assert owner.get(reverse("stations:workstation-list"))["Location"] == reverse("password_change")
    owner.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    home = owner.get(reverse("stations:home")).content.decode()
    assert "尚未分配角色" in home and "全系统" not in home
    for name in ("stations:workstation-list", "volunteers:volunteer-list", "mentoring:youth-list"):
        assert owner.get(reverse(name)).status_code == 403, name


def test_security_administrator_assigns_role_and_scope_and_the_owner_is_told_at_next_login(world, client_as):
    target = world.user("staff")
    security = client_as(world.user("sec"))
    form = security.get(reverse("stations:user-role", args=[target.pk])).content.decode()
    assert 'name="role"' in form and 'name="password"' not in form and 'name="username"' not in form
    for admin_role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        assert f'value="{admin_role}"' not in form
    response = security.post(
        reverse("stations:user-role", args=[target.pk]),
        {"role": Role.STATION_HEAD, "workstation": world.a.station.pk, "org_unit": ""},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.STATION_HEAD
    entry = AuditEntry.objects.get(action="user.role", object_id=str(target.pk))
    assert entry.actor == world.user("sec") and entry.changes["role"] == [Role.STATION_STAFF, Role.STATION_HEAD]

    owner = Client()
    login(owner, target.username, PASSWORD)
    page = owner.get(reverse("stations:home")).content.decode()
    assert "您的角色于" in page and f"由安全管理员 {world.user('sec').username} 更改为“站长”" in page
    assert world.a.station.name in page
    # Shown once: the next sign-in has nothing new to tell.
    again = Client()
    login(again, target.username, PASSWORD)
    assert "您的角色于" not in again.get(reverse("stations:home")).content.decode()


def test_scope_must_fit_the_role(world, client_as):
    target = world.user("staff")
    security = client_as(world.user("sec"))
    before = database_state()
    response = security.post(
        reverse("stations:user-role", args=[target.pk]),
        {"role": Role.COUNTY_OFFICER, "workstation": "", "org_unit": world.a.city.pk},
    )
    assert response.status_code == 200 and "所属机构与角色层级不符" in response.content.decode()
    assert database_state() == before


# --- every forbidden combination, through the real URLs ----------------------------------------

ACTIONS = {
    # action: (URL name, takes a target, form data)
    "create": ("stations:user-create", False, lambda w, t: {"username": "intruder", "last_name": "某"}),
    "edit": ("stations:user-edit", True, lambda w, t: {"username": t.username, "last_name": "改", "is_active": "on"}),
    "password": ("stations:user-password", True, lambda w, t: {"password": "Known#Password2026"}),
    "role": (
        "stations:user-role",
        True,
        lambda w, t: {"role": Role.STATION_HEAD, "workstation": w.a.station.pk, "org_unit": ""},
    ),
    "admin-change": (None, True, lambda w, t: {"role": Role.STATION_HEAD, "is_superuser": "on", "is_staff": "on"}),
}
TARGETS = ["self", "sys", "sec", "audit", "station"]
ALLOWED = {("sys", "create", None), ("sys", "edit", "station"), ("sys", "password", "station")}
ALLOWED |= {("sec", "role", "station")}

FORBIDDEN = [
    (actor, action, target)
    for actor in [*ROLE_KEYS, "unassigned"]
    for action, (_, takes_target, _) in ACTIONS.items()
    for target in (TARGETS if takes_target else [None])
    if (actor, action, target) not in ALLOWED
]
# Allowed actions with something smuggled in: hidden fields, an administrator role.
SMUGGLED = [
    ("sys", "create", None, {"role": Role.STATION_HEAD, "workstation": "A"}),
    ("sys", "create", None, {"role": Role.SECURITY_ADMIN}),
    ("sys", "create", None, {"org_unit": "A-county"}),
    ("sys", "create", None, {"is_superuser": "on", "is_staff": "on"}),
    ("sys", "edit", "station", {"role": Role.STATION_HEAD}),
    ("sys", "edit", "station", {"workstation": "B"}),
    ("sys", "edit", "station", {"org_unit": "A-county", "role": Role.COUNTY_OFFICER}),
    ("sys", "edit", "station", {"is_superuser": "on"}),
    ("sys", "password", "station", {"role": Role.AUDIT_ADMIN}),
    ("sec", "role", "station", {"role": Role.SYSTEM_ADMIN}),
    ("sec", "role", "station", {"role": Role.SECURITY_ADMIN, "workstation": ""}),
    ("sec", "role", "station", {"role": Role.AUDIT_ADMIN, "workstation": ""}),
    ("sec", "role", "station", {"password": "Known#Password2026"}),
    ("sec", "role", "station", {"username": "renamed"}),
    ("sec", "role", "station", {"is_superuser": "on"}),
]


def _actor(world, key):
    if key == "unassigned":
        from stations.tests.factories import UserFactory

        return UserFactory(username="no_role_yet", role="")
    return world.user(key)


def _target(world, actor, key):
    return {"self": actor, "station": world.user("staff")}.get(key) or world.user(key)


def _resolve_smuggled(world, extra):
    values = {"A": world.a.station.pk, "B": world.b.station.pk, "Z": world.z.station.pk, "A-county": world.a.county.pk}
    return {name: values.get(value, value) for name, value in extra.items()}


def _attempt(world, actor_key, action, target_key, extra=None):
    actor = _actor(world, actor_key)
    target = _target(world, actor, target_key) if target_key else None
    client = Client()
    client.force_login(actor)
    url_name, _, data = ACTIONS[action]
    payload = {**data(world, target), **_resolve_smuggled(world, extra or {})}
    if url_name is None:
        url = f"/admin/stations/user/{target.pk}/change/"
    else:
        url = reverse(url_name, args=[target.pk] if target else [])
    before = database_state()
    response = client.post(url, payload)
    return response, before


def assert_refused(response):
    status = response.status_code
    if status in (403, 404):
        return
    if status == 302:  # Django admin sends a signed-in user without access to its own login page
        assert response["Location"].startswith(reverse("admin:login")), response["Location"]
        return
    assert status == 200, status
    page = response.content.decode()
    assert "不允许修改的字段" in page or "选择一个有效的选项" in page, page[:2000]


@pytest.mark.parametrize(("actor", "action", "target"), FORBIDDEN)
def test_forbidden_combination_is_refused_and_changes_nothing(world, actor, action, target):
    response, before = _attempt(world, actor, action, target)
    assert_refused(response)
    assert database_state() == before
    assert not User.objects.filter(username="intruder").exists()


@pytest.mark.parametrize(("actor", "action", "target", "extra"), SMUGGLED)
def test_smuggled_fields_are_refused_and_change_nothing(world, actor, action, target, extra):
    response, before = _attempt(world, actor, action, target, extra)
    assert_refused(response)
    assert database_state() == before
    assert not User.objects.filter(username="intruder").exists()


@pytest.mark.parametrize(("actor", "action", "target"), sorted(ALLOWED, key=str))
def test_allowed_combination_works(world, actor, action, target):
    """The other side of the table above: each allowed action changes the database."""
    response, before = _attempt(world, actor, action, target)
    assert response.status_code in (200, 302)
    assert database_state() != before


def test_there_are_enough_forbidden_combinations():
    assert len(FORBIDDEN) == 9 * (1 + 4 * 5) - len(ALLOWED)


# --- Django admin offers no back door ------------------------------------------------------------


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_django_admin_offers_no_way_to_accounts_groups_or_second_factor_devices(world, client_as, role):
    victim = world.user("staff")
    device = device_for(world.user("audit"))
    client = client_as(world.user(role))
    before = database_state()
    attempts = [
        ("get", "/admin/stations/user/", {}),
        ("post", "/admin/stations/user/add/", {"username": "intruder", "password1": "X#y1234567890", "role": "sys"}),
        ("post", f"/admin/stations/user/{victim.pk}/change/", {"role": Role.SECURITY_ADMIN, "is_superuser": "on"}),
        (
            "post",
            f"/admin/stations/user/{victim.pk}/password/",
            {"password1": "X#y1234567890", "password2": "X#y1234567890"},
        ),
        ("post", "/admin/auth/group/add/", {"name": "backdoor"}),
        ("get", "/admin/otp_totp/totpdevice/", {}),
        ("get", f"/admin/otp_totp/totpdevice/{device.pk}/config/", {}),
        ("get", f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/", {}),
        ("post", "/admin/otp_totp/totpdevice/add/", {"user": victim.pk, "name": "x", "key": "00" * 20}),
    ]
    secret = b32encode(device.bin_key).decode()
    for method, url, data in attempts:
        response = getattr(client, method)(url, data)
        assert_refused(response)
        assert secret not in response.content.decode() and device.key not in response.content.decode()
    assert database_state() == before
    assert not User.objects.filter(username="intruder").exists()
    index = client.get("/admin/")
    if index.status_code == 200:
        page = index.content.decode()
        assert "/admin/stations/user/" not in page and "/admin/auth/group/" not in page and "totpdevice" not in page


def test_django_admin_access_is_a_capability_not_a_staff_flag(world, client_as):
    assert not User.objects.filter(is_staff=True).exists()
    assert client_as(world.user("sys")).get("/admin/").status_code == 200
    assert client_as(world.user("audit")).get("/admin/stations/auditentry/").status_code == 200
    staff = world.user("staff")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    assert client_as(User.objects.get(pk=staff.pk)).get("/admin/").status_code != 200


# --- one-time passwords --------------------------------------------------------------------------


def _reset(world, client_as, target, password=""):
    response = client_as(world.user("sys")).post(
        reverse("stations:user-password", args=[target.pk]), {"password": password}
    )
    assert response.status_code == 200
    return one_time_password_in(response.content.decode())


def test_a_reset_password_only_opens_the_password_change_page_and_the_owner_is_told(world, client_as):
    target = world.user("head")
    victim = Client()
    login(victim, target.username, PASSWORD)
    typed = "Typed#ByAdmin2026"
    assert _reset(world, client_as, target, typed) == typed
    assert victim.get(reverse("stations:home")).status_code == 302  # AUTH-6: sessions ended
    owner = Client()
    assert login(owner, target.username, typed).status_code == 302
    for name, entry in sorted(ENTRIES.items()):
        if name in {"login", "logout", "set_language", "password_change", "password_change_done"}:
            continue
        if entry.target is not None:
            continue
        response = owner.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), name
    page = owner.get(reverse("password_change")).content.decode()
    assert "您的密码于" in page and f"由系统管理员 {world.user('sys').username} 重置" in page
    owner.post(
        reverse("password_change"),
        {"old_password": typed, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert owner.get(reverse("mentoring:youth-list")).status_code == 200
    target.refresh_from_db()
    assert target.one_time_password_until is None
    entries = AuditEntry.objects.filter(object_id=str(target.pk), action="user.password_reset")
    assert entries.count() == 1 and entries.get().actor == world.user("sys")


def test_a_typed_one_time_password_must_meet_the_policy(world, client_as):
    target = world.user("head")
    system = client_as(world.user("sys"))
    before = database_state()
    response = system.post(reverse("stations:user-password", args=[target.pk]), {"password": "short"})
    assert response.status_code == 200 and 'data-field="password"' in response.content.decode()
    assert database_state() == before


def test_an_expired_one_time_password_is_refused_with_a_request_for_a_new_one(world, client_as, settings):
    settings.ONE_TIME_PASSWORD_HOURS = 24
    target = world.user("staff")
    password = _reset(world, client_as, target)
    with freeze_time(timezone.now() + timedelta(hours=25)):
        response = login(Client(), target.username, password)
        assert response.status_code == 200
        assert "一次性密码已过期" in response.content.decode() and "系统管理员" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.login_refused", object_id=str(target.pk)).count() == 1
    with freeze_time(timezone.now() + timedelta(hours=23)):
        assert login(Client(), target.username, password).status_code == 302


def test_a_password_reset_keeps_the_owners_second_factor(world, client_as, settings):
    settings.MFA_REQUIRED_ROLES = [Role.COUNTY_OFFICER]
    target = world.user("county")
    device = device_for(target)
    password = _reset(world, client_as, target)
    holder = Client()
    login(holder, target.username, password)
    for url in (reverse("stations:home"), reverse("password_change"), reverse("mfa:setup")):
        response = holder.get(url)
        assert response.status_code == 302 and response["Location"] != reverse("stations:home"), url
    change = {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert holder.post(reverse("password_change"), change).status_code == 302
    target.refresh_from_db()
    assert target.check_password(password)  # without the owner's code, not even the password changes
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_the_second_factor_secret_is_shown_only_to_its_owner(world, client_as):
    owner = world.user("audit")
    owner_client = Client()
    login(owner_client, owner.username, PASSWORD)
    response = owner_client.get(reverse("mfa:setup"))
    pending = setup_page_device(response)
    secret = b32encode(pending.bin_key).decode()
    assert secret in response.content.decode()
    for role in ROLE_KEYS:
        if role == "audit":
            continue
        client = client_as(world.user(role))
        for url in (reverse("mfa:setup"), reverse("mfa:devices"), reverse("stations:user-list"), "/admin/"):
            assert secret not in client.get(url).content.decode(), (role, url)
        assert client.post(reverse("mfa:setup"), {"token": code_for(pending)}).status_code == 302
    assert not TOTPDevice.objects.filter(key=pending.key).exists()


# --- administrators come from the command line ---------------------------------------------------


def test_create_administrator_prints_a_one_time_password_and_is_audited(db):
    out = io.StringIO()
    call_command(
        "create_administrator", "--role", "security_admin", "--username", "sec_new", "--name", "何新", stdout=out
    )
    password = re.search(r"一次性密码：(\S+)", out.getvalue()).group(1)
    account = User.objects.get(username="sec_new")
    assert account.role == Role.SECURITY_ADMIN and account.must_change_password
    assert not account.is_superuser and not account.is_staff
    assert account.check_password(password)
    entry = AuditEntry.objects.get(action="user.create_administrator")
    assert entry.object_id == str(account.pk) and entry.changes["role"] == [None, "security_admin"]
    assert entry.actor_username.startswith("manage.py")
    client = Client()
    assert login(client, "sec_new", password).status_code == 302
    assert client.get(reverse("stations:home"))["Location"].startswith(reverse("mfa:setup"))


@pytest.mark.parametrize("existing", ["sys", "audit", "staff"])
def test_create_administrator_refuses_an_existing_account(world, existing):
    account = world.user(existing)
    before = database_state()
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_administrator", "--role", "security_admin", "--username", account.username.upper())
    assert database_state() == before
    assert AuditEntry.objects.filter(action="user.create_administrator", result="denied").count() == 1


def test_create_administrator_reset_gives_a_new_one_time_password_and_requires_re_enrolment(world):
    account = world.user("sec")
    device_for(account)
    out = io.StringIO()
    call_command(
        "create_administrator", "--role", "security_admin", "--username", account.username, "--reset", stdout=out
    )
    password = re.search(r"一次性密码：(\S+)", out.getvalue()).group(1)
    account.refresh_from_db()
    assert account.check_password(password) and account.must_change_password
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert AuditEntry.objects.filter(action="user.password_reset", object_id=str(account.pk)).count() == 1
    with pytest.raises(CommandError, match="角色"):
        call_command("create_administrator", "--role", "audit_admin", "--username", account.username, "--reset")


def test_create_administrator_refuses_a_non_administrator_role(db):
    with pytest.raises(CommandError):
        call_command("create_administrator", "--role", "station_head", "--username", "head_via_cli")
    assert not User.objects.filter(username="head_via_cli").exists()
