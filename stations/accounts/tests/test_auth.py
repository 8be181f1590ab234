"""Authentication and session rules (SECURITY AUTH-1..6, HDR-1, OUT-2, REL-4)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from conftest import ROLE_KEYS
from stations.models import Role, User
from stations.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.1", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Guanai@2026demo", True),
        ("correct-Horse-battery-9", True),
        ("short1A!", False),  # < 12
        ("alllowercaseletters", False),  # one class
        ("lowercase12345678", False),  # two classes
        ("Password12345", False),  # common
        ("A1!" + "x" * 126, False),  # > 128
    ],
)
def test_password_policy(world, password, ok):
    user = world.user("staff")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_password_similar_to_username_is_refused(db):
    user = User(username="zhangwei2026", role=Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        validate_password("Zhangwei2026!", user)


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(db):
    user = UserFactory(role=Role.SYSTEM_ADMIN)
    assert user.password.startswith("argon2$")


def test_last_five_passwords_cannot_be_reused(world, client_as):
    user = world.user("staff")
    client = client_as(user)
    current = PASSWORD
    for index in range(5):
        new = f"Fresh#Password{index}x"
        response = client.post(
            reverse("password_change"), {"old_password": current, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 302, response.content.decode()[:500]
        current = new
    response = client.post(
        reverse("password_change"),
        {"old_password": current, "new_password1": "Fresh#Password1x", "new_password2": "Fresh#Password1x"},
    )
    assert "不能与最近 5 次使用过的密码相同" in response.content.decode()


def test_usernames_are_unique_ignoring_case(db):
    UserFactory(username="zhang", role=Role.SYSTEM_ADMIN)
    with pytest.raises(IntegrityError):
        UserFactory(username="Zhang", role=Role.SYSTEM_ADMIN)


def test_login_is_case_insensitive(world, client):
    user = world.user("staff")
    assert login(client, user.username.upper(), PASSWORD).status_code == 302
    assert client.get(reverse("stations:home")).status_code == 200


def test_first_login_forces_a_password_change(world, client):
    user = world.user("staff")
    user.must_change_password = True
    user.save()
    login(client, user.username, PASSWORD)
    response = client.get(reverse("stations:workstation-list"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    new = "Brand#NewPass2026"
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert client.get(reverse("stations:workstation-list")).status_code == 200


def test_password_older_than_max_age_must_be_changed(world, client_as):
    user = world.user("staff")
    user.password_changed_at = timezone.now()
    user.save()
    with freeze_time(timezone.now() + timedelta(days=91)):
        client = client_as(user)
        response = client.get(reverse("stations:workstation-list"))
        assert response.status_code == 302 and response["Location"] == reverse("password_change")
        assert client.post(reverse("logout")).status_code == 302  # logout stays reachable
    with freeze_time(timezone.now() + timedelta(days=89)):
        assert client_as(user).get(reverse("stations:workstation-list")).status_code == 200


def test_five_failures_lock_the_username_from_that_address_only(world):
    user = world.user("staff")
    client = Client()
    for _ in range(5):
        login(client, user.username, "wrong-password", ip="10.0.0.1")
    refused = login(client, user.username, PASSWORD, ip="10.0.0.1")
    assert refused.status_code == 429
    assert "登录失败次数过多" in refused.content.decode()
    other = Client()
    assert login(other, user.username, PASSWORD, ip="10.0.0.2").status_code == 302
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.ip_address == "10.0.0.1"
    with freeze_time(timezone.now() + timedelta(minutes=31)):
        assert login(Client(), user.username, PASSWORD, ip="10.0.0.1").status_code == 302


def test_forged_forwarded_for_header_changes_nothing(world):
    user = world.user("staff")
    client = Client()
    for index in range(5):
        login(client, user.username, "wrong-password", ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{index}")
    assert login(client, user.username, PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9").status_code == 429


def test_lockout_page_does_not_reveal_whether_the_user_exists(world):
    client = Client()
    for _ in range(6):
        unknown = login(client, "no-such-user", "wrong-password", ip="10.0.0.3")
    for _ in range(6):
        known = login(client, world.user("staff").username, "wrong-password", ip="10.0.0.4")
    assert unknown.status_code == known.status_code == 429

    def page(response, username):
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode()).replace(username, "")

    assert page(unknown, "no-such-user") == page(known, world.user("staff").username)


def test_security_admin_unlocks_an_account(world, client_as):
    user = world.user("staff")
    for _ in range(5):
        login(Client(), user.username, "wrong-password", ip="10.0.0.1")
    security = client_as(world.user("sec"))
    asked = security.post(reverse("stations:lockout-list"), {"username": user.username}).content.decode()
    assert 'data-testid="confirm-step"' in asked and "不是他人在猜测密码" in asked  # unlocking asks first
    assert login(Client(), user.username, PASSWORD, ip="10.0.0.1").status_code != 302  # still locked
    security.post(reverse("stations:lockout-list"), {"username": user.username, "confirm": "1"})
    assert login(Client(), user.username, PASSWORD, ip="10.0.0.1").status_code == 302


# Login ignores case, surrounding spaces and full-width letters (NFKC); the lockout must too.
SPELLINGS = ["zhan_zhang", "ZHAN_ZHANG", "Zhan_zhang", " zhan_zhang ", "ｚｈａｎ＿ｚｈａｎｇ", "ZhAn_ZhAnG"]


def signed_in(client) -> bool:
    return client.get(reverse("stations:home")).status_code == 200


def test_every_spelling_of_a_username_signs_in_to_the_same_account(world):
    UserFactory(username="zhan_zhang", role=Role.STATION_STAFF, workstation=world.a.station)
    for spelling in SPELLINGS:
        client = Client()
        assert login(client, spelling, PASSWORD).status_code == 302, spelling
        assert signed_in(client), spelling


def test_failures_in_any_spelling_lock_the_account_for_every_spelling(world):
    UserFactory(username="zhan_zhang", role=Role.STATION_STAFF, workstation=world.a.station)
    statuses = [login(Client(), spelling, "wrong-password", ip="10.0.0.1").status_code for spelling in SPELLINGS[1:]]
    assert statuses == [200, 200, 200, 200, 429]  # five failures, each in a different spelling, lock
    for spelling in SPELLINGS:
        client = Client()
        refused = login(client, spelling, PASSWORD, ip="10.0.0.1")
        assert refused.status_code == 429, spelling
        assert "登录失败次数过多" in refused.content.decode()
        assert not signed_in(client), spelling
    # The per-address dimension stays: the same account signs in from another address.
    other = Client()
    assert login(other, "zhan_zhang", PASSWORD, ip="10.0.0.2").status_code == 302
    assert signed_in(other)


def test_a_correct_password_in_another_spelling_during_the_lock_neither_signs_in_nor_unlocks(world):
    UserFactory(username="zhan_zhang", role=Role.STATION_STAFF, workstation=world.a.station)
    for _ in range(5):
        login(Client(), "zhan_zhang", "wrong-password", ip="10.0.0.1")
    client = Client()
    assert login(client, "ZhAn_ZhAnG", PASSWORD, ip="10.0.0.1").status_code == 429
    assert not signed_in(client)
    assert login(Client(), "zhan_zhang", PASSWORD, ip="10.0.0.1").status_code == 429
    with freeze_time(timezone.now() + timedelta(minutes=31)):
        client = Client()
        assert login(client, "ZhAn_ZhAnG", PASSWORD, ip="10.0.0.1").status_code == 302
        assert signed_in(client)


def test_lockout_list_shows_the_account_and_unlocking_it_frees_every_spelling(world, client_as):
    UserFactory(username="zhan_zhang", role=Role.STATION_STAFF, workstation=world.a.station)
    for spelling in ["ZHAN_ZHANG", "Zhan_Zhang", "ｚｈａｎ＿ｚｈａｎｇ", "ZHAN_zhang", " Zhan_zhang"]:
        login(Client(), spelling, "wrong-password", ip="10.0.0.1")
    security = client_as(world.user("sec"))
    page = security.get(reverse("stations:lockout-list")).content.decode()
    assert page.count("<td>zhan_zhang</td>") == 1
    assert "ZHAN_ZHANG" not in page and "Zhan_Zhang" not in page and "ｚｈａｎ" not in page
    security.post(reverse("stations:lockout-list"), {"username": "zhan_zhang", "confirm": "1"})
    assert "<td>zhan_zhang</td>" not in security.get(reverse("stations:lockout-list")).content.decode()
    client = Client()
    assert login(client, "ZHAN_ZHANG", PASSWORD, ip="10.0.0.1").status_code == 302
    assert signed_in(client)


def test_idle_session_expires_after_thirty_minutes(world, client):
    user = world.user("staff")
    start = timezone.now()
    with freeze_time(start):
        login(client, user.username, PASSWORD)
    with freeze_time(start + timedelta(minutes=29)):
        assert client.get(reverse("stations:home")).status_code == 200
    with freeze_time(start + timedelta(minutes=29 + 31)):
        response = client.get(reverse("stations:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_session_key_changes_at_login(world, client):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    login(client, world.user("staff").username, PASSWORD)
    assert client.session.session_key != before


def test_password_change_ends_other_sessions(world):
    user = world.user("staff")
    a, b = Client(), Client()
    login(a, user.username, PASSWORD, ip="10.0.0.5")
    login(b, user.username, PASSWORD, ip="10.0.0.6")
    new = "Another#Pass2026x"
    a.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert a.get(reverse("stations:home")).status_code == 200
    assert b.get(reverse("stations:home")).status_code == 302


def test_admin_reset_forces_change_and_ends_sessions(world, client_as):
    user = world.user("staff")
    victim = Client()
    login(victim, user.username, PASSWORD, ip="10.0.0.8")
    sys_admin = client_as(world.user("sys"))
    response = sys_admin.post(reverse("stations:user-password", args=[user.pk]), {"password": "Reset#Password2026"})
    assert response.status_code == 200 and "Reset#Password2026" in response.content.decode()
    assert victim.get(reverse("stations:home")).status_code == 302
    user.refresh_from_db()
    assert user.must_change_password


@pytest.mark.parametrize(("role", "url_name"), [("sys", "stations:user-edit"), ("sec", "stations:user-role")])
def test_nobody_edits_their_own_role(world, client_as, role, url_name):
    admin = world.user(role)
    client = client_as(admin)
    assert client.get(reverse(url_name, args=[admin.pk])).status_code == 404
    response = client.post(reverse(url_name, args=[admin.pk]), {"username": admin.username, "role": Role.AUDIT_ADMIN})
    assert response.status_code == 404
    admin.refresh_from_db()
    assert admin.role == ROLE_KEYS[role]


def test_active_superuser_check_warns_in_deploy_checks(db, capsys):
    User.objects.create_superuser("root", password="Super#Secret2026", role=Role.SYSTEM_ADMIN)
    from stations.checks import active_superuser

    assert [w.id for w in active_superuser(None)] == ["stations.W001"]


def test_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("staff"))
    response = client.post(reverse("stations:funding-add", args=[world.a.station.pk]), {"year": 2025})
    assert response.status_code == 403


def test_pages_send_security_headers(world, client_as):
    response = client_as(world.user("staff")).get(reverse("stations:workstation-detail", args=[world.a.station.pk]))
    csp = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


# The project's templates and every app's, nested packages (stations/reports, …) included.
TEMPLATE_ROOTS = [
    Path(settings.BASE_DIR) / "templates",
    *(
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and "site-packages" not in Path(config.path).parts
        and (Path(config.path) / "templates").is_dir()
    ),
]
FORBIDDEN = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline script"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "inline style attribute"),
    (re.compile(r"(src|href)\s*=\s*[\"']?(https?:)?//", re.I), "external asset URL"),
    (re.compile(r"\|\s*safe\b|{%\s*autoescape\s+off", re.I), "unescaped output"),
]


def test_templates_have_no_inline_script_handlers_styles_or_external_assets():
    problems = []
    for root in TEMPLATE_ROOTS:
        for path in root.rglob("*.html"):
            if "/pdf/" in str(path):
                continue  # PDF templates are rendered by WeasyPrint, never served to a browser
            text = path.read_text(encoding="utf-8")
            problems += [f"{path}: {label}" for pattern, label in FORBIDDEN if pattern.search(text)]
    assert problems == []


# OUT-1: the reviewed places that mark HTML safe in Python, each with why what it marks is escaped.
MARK_SAFE_ALLOWED = {
    ("stations/reports/charts.py", 2),  # SVG charts: every interpolated text is escaped before joining
    ("stations/figure_cache.py", 1),  # kept statistics tables: rendered by an autoescaping template
}


def test_mark_safe_is_called_only_from_the_reviewed_places():
    calls = {}
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        relative = path.relative_to(settings.BASE_DIR)
        if relative.parts[0] in {".venv", "node_modules"} or "tests" in relative.parts:
            continue
        found = len(re.findall(r"\bmark_safe\(|\bSafeString\(", path.read_text(encoding="utf-8")))
        if found:
            calls[(relative.as_posix(), found)] = True
    assert set(calls) == MARK_SAFE_ALLOWED


def test_lost_database_connection_is_a_plain_503(world, client_as, monkeypatch):
    from stations import views

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.selectors, "workstation_list", broken)
    response = client_as(world.user("staff")).get(reverse("stations:workstation-list"))
    assert response.status_code == 503
    assert "数据库暂时不可用" in response.content.decode()


def test_deploy_check_is_clean_with_production_settings():
    # make test runs `check --deploy --fail-level WARNING` with production settings; here the
    # audit-retention check refuses a too-short retention.
    from stations.checks import audit_retention

    assert audit_retention(None) == []
    call_command("check")


def test_lost_database_outside_the_view_is_a_plain_503_too(world, monkeypatch):
    """Session load/save in middleware, or a driver error Django does not wrap (REL-4)."""
    from django.db import connection

    from stations import views

    def broken_driver(*args, **kwargs):
        raise connection.Database.OperationalError("server closed the connection unexpectedly")

    client = Client(raise_request_exception=False)
    client.force_login(world.user("staff"))
    monkeypatch.setattr(views.selectors, "workstation_list", broken_driver)
    response = client.get(reverse("stations:workstation-list"))
    assert response.status_code == 503
    assert "数据库暂时不可用" in response.content.decode()
    monkeypatch.undo()

    from django.contrib.sessions.backends.db import SessionStore

    monkeypatch.setattr(SessionStore, "load", lambda self: (_ for _ in ()).throw(OperationalError("gone")))
    response = client.get(reverse("stations:workstation-list"))
    assert response.status_code == 503
    monkeypatch.undo()

    def value_error(*args, **kwargs):
        raise ValueError("a plain bug")

    monkeypatch.setattr(views.selectors, "workstation_list", value_error)
    assert client.get(reverse("stations:workstation-list")).status_code == 500
