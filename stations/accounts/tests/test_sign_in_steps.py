"""Forced password change (AUTH-3) and second factor (AUTH-7) together: the second factor comes
first, then the password change, and every path reaches the home page without a redirect loop."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from stations.accounts.tests.mfa_helpers import code_for, device_for, setup_page_device
from stations.services import administrator_reset
from stations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ADMINS = ["sys", "sec", "audit"]
NEW_PASSWORD = "Fresh#Admin2026pw"
MAX_REDIRECTS = 8


def follow(client, response):
    """Follow redirects as a browser would, but stop a loop: the final page and the URLs passed."""
    chain = []
    while response.status_code in (301, 302, 303):
        chain.append(response["Location"])
        assert len(chain) <= MAX_REDIRECTS, f"redirect loop: {chain}"
        response = client.get(response["Location"])
    return response, chain


def text(response) -> str:
    return response.content.decode()


def sign_in(client, username, password=PASSWORD):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "the password was refused"
    return follow(client, response)


def on_setup_page(page) -> bool:
    return page.status_code == 200 and "绑定动态口令" in text(page) and "确认绑定" in text(page)


def on_token_page(page) -> bool:
    return page.status_code == 200 and "动态口令验证" in text(page)


def on_forced_change_page(page) -> bool:
    return page.status_code == 200 and "保存新密码" in text(page) and "请先修改密码" in text(page)


def change_password(client, old):
    response = client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    page, _ = follow(client, response)
    assert page.status_code == 200 and "密码已修改" in text(page)
    return page


def reaches_home(client) -> bool:
    page, chain = follow(client, client.get(reverse("stations:home")))
    return not chain and page.status_code == 200 and "待办与概况" in text(page)


def signs_in_with_new_password_and_code(user, device) -> bool:
    client = Client()
    page, _ = sign_in(client, user.username, NEW_PASSWORD)
    if not on_token_page(page):
        return False
    with freeze_time(timezone.now() + timedelta(seconds=device.step)):  # the next code: no replay
        page, _ = follow(client, client.post(reverse("mfa:verify"), {"token": code_for(device)}))
        return page.status_code == 200 and "待办与概况" in text(page)


@pytest.mark.parametrize("role", ADMINS)
def test_new_administrator_binds_a_device_then_changes_the_password_and_reaches_home(world, role):
    user = world.user(role)
    user.must_change_password = True
    user.save()
    client = Client()

    page, _ = sign_in(client, user.username)
    assert on_setup_page(page)
    device = setup_page_device(page)
    page, _ = follow(client, client.post(reverse("mfa:setup"), {"token": code_for(device)}))
    assert on_forced_change_page(page)
    change_password(client, PASSWORD)
    assert reaches_home(client)

    user.refresh_from_db()
    assert not user.must_change_password
    assert signs_in_with_new_password_and_code(user, TOTPDevice.objects.get(user=user, confirmed=True))


def test_reset_administrator_enrols_again_then_changes_the_password(world):
    """`create_administrator --reset` removes the second factor: set-up first, then the password."""
    user = world.user("audit")
    device_for(user)
    _, password = administrator_reset(role=user.role, username=user.username, by="test")
    client = Client()

    page, _ = sign_in(client, user.username, password)
    assert on_setup_page(page)
    device = setup_page_device(page)
    page, _ = follow(client, client.post(reverse("mfa:setup"), {"token": code_for(device)}))
    assert on_forced_change_page(page)
    change_password(client, password)
    assert reaches_home(client)
    assert signs_in_with_new_password_and_code(user, TOTPDevice.objects.get(user=user, confirmed=True))


def test_reset_user_with_a_second_factor_enters_the_code_then_changes_the_password(world, client_as, settings):
    """A system administrator's reset keeps the device: the token page first, then the password."""
    user = world.user("head")
    settings.MFA_REQUIRED_ROLES = [user.role]
    device = device_for(user)
    response = client_as(world.user("sys")).post(reverse("stations:user-password", args=[user.pk]), {"password": ""})
    password = re.search(r'data-testid="one-time-password">([^<]+)<', response.content.decode()).group(1)
    client = Client()

    page, _ = sign_in(client, user.username, password)
    assert on_token_page(page)
    page, _ = follow(client, client.post(reverse("mfa:verify"), {"token": code_for(device)}))
    assert on_forced_change_page(page)
    change_password(client, password)
    assert reaches_home(client)
    assert signs_in_with_new_password_and_code(user, device)


@pytest.mark.parametrize("role", ADMINS)
def test_administrator_with_an_expired_password_enters_a_code_then_changes_the_password(world, role):
    user = world.user(role)
    start = timezone.now()
    user.password_changed_at = start
    user.save()
    device = device_for(user)
    with freeze_time(start + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)):
        client = Client()
        page, _ = sign_in(client, user.username)
        assert on_token_page(page)
        page, _ = follow(client, client.post(reverse("mfa:verify"), {"token": code_for(device)}))
        assert on_forced_change_page(page)
        change_password(client, PASSWORD)
        assert reaches_home(client)
        assert signs_in_with_new_password_and_code(user, device)


def test_the_password_alone_cannot_change_an_expired_administrator_password(world):
    user = world.user("sec")
    start = timezone.now()
    user.password_changed_at = start
    user.save()
    device_for(user)
    with freeze_time(start + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)):
        client = Client()
        sign_in(client, user.username)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        page, _ = follow(client, response)
        assert on_token_page(page)
    assert Client().post(reverse("login"), {"username": user.username, "password": NEW_PASSWORD}).status_code == 200
    assert Client().post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("role", ["staff", "sys"])
def test_second_factor_pages_open_nothing_else_while_a_password_change_is_due(world, role):
    """The token pages stay open during a forced change; they must not become a way around it."""
    user = world.user(role)
    user.must_change_password = True
    user.save()
    client = Client()
    page, _ = sign_in(client, user.username)
    if role == "sys":
        device = setup_page_device(page)
        page, _ = follow(client, client.post(reverse("mfa:setup"), {"token": code_for(device)}))
    assert on_forced_change_page(page)
    elsewhere = reverse("stations:user-list")
    for url in (f"{reverse('mfa:verify')}?next={elsewhere}", reverse("mfa:setup")):
        page, _ = follow(client, client.get(url))
        assert on_forced_change_page(page), url
