"""403, 404, 500 and CSRF failures are Chinese pages inside the site layout (DEBUG off), the 500 page
needs no database, and an English browser gets the same Chinese site."""

import re

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import path, reverse

from config.urls import urlpatterns as site_urls
from stations import errors
from stations.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def boom(request):
    raise ValueError("an unexpected bug")


def lost_file(request):
    raise Http404("文件已不在服务器上，请联系上传人重新上传。")


def django_404(request):
    raise Http404("No Youth matches the given query.")


urlpatterns = [path("boom/", boom), path("lost-file/", lost_file), path("django-404/", django_404), *site_urls]
handler404 = "stations.errors.page_not_found"
handler500 = "stations.errors.server_error"


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False


def in_layout(text: str) -> bool:
    return 'lang="zh-hans"' in text and "/static/css/app.css" in text and 'data-testid="error-page"' in text


def test_unknown_page_is_a_chinese_404_inside_the_layout(world, client_as):
    response = client_as(world.user("staff")).get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text and in_layout(text)
    assert 'data-testid="whoami"' in text  # the signed-in user keeps the navigation


def test_missing_capability_is_a_chinese_403_inside_the_layout(world, client_as):
    response = client_as(world.user("staff")).get(reverse("stations:audit-list"))
    text = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in text and in_layout(text)
    assert "audit.view" not in text  # the capability's code is not shown


def test_a_404_shows_a_message_written_for_the_user_but_not_djangos(world, client_as, settings):
    settings.ROOT_URLCONF = __name__
    client = client_as(world.user("staff"))
    lost = client.get("/lost-file/").content.decode()
    assert "文件已不在服务器上，请联系上传人重新上传。" in lost
    hidden = client.get("/django-404/")
    assert hidden.status_code == 404
    assert "No Youth" not in hidden.content.decode() and "页面不存在" in hidden.content.decode()


def test_an_unexpected_error_is_a_chinese_500_inside_the_layout(world, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(world.user("staff"))
    response = client.get("/boom/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in text and in_layout(text)
    assert "unexpected bug" not in text


def test_the_500_page_renders_with_the_database_blocked():
    def refuse(execute, sql, params, many, context):
        raise AssertionError(f"the 500 page queried the database: {sql}")

    request = RequestFactory().get("/anything/")
    with connection.execute_wrapper(refuse):
        try:
            raise ValueError("bug")
        except ValueError:
            response = errors.server_error(request)
    text = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in text and in_layout(text)


def test_a_form_posted_without_csrf_token_is_a_chinese_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("staff"))
    response = client.post(reverse("password_change"), {"old_password": PASSWORD})
    text = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in text and in_layout(text)
    assert "CSRF verification failed" not in text and "Forbidden" not in text


def test_an_english_browser_gets_djangos_messages_in_chinese(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Ab1!", "new_password2": "Ab1!"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in text
    assert "密码太短" in text
    assert "This password" not in text and "too short" not in text


@pytest.mark.parametrize(
    "name", ["stations:home", "volunteers:volunteer-list", "mentoring:youth-list", "password_change"]
)
def test_an_english_browser_gets_chinese_pages(world, name):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(world.user("staff"))
    response = client.get(reverse(name))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in text and "退出" in text
    assert "Log out" not in text and "Password" not in text


def test_an_english_browser_cannot_switch_the_site_to_english(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.user("staff"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("stations:home")).content.decode()
    assert 'lang="zh-hans"' in text and "退出" in text


def po_entries(path):
    """(msgid, msgid_plural, msgstr) of a .po file whose entries are on one line each."""
    entries, current = [], {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        match = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[0\]) "(.*)"$', line)
        if match:
            current[match.group(1).replace("[0]", "")] = match.group(2).replace('\\"', '"')
        elif not line.strip() and current.get("msgid"):
            entries.append((current["msgid"], current.get("msgid_plural"), current["msgstr"]))
            current = {}
        elif not line.strip():
            current = {}
    return entries


def test_the_committed_catalogue_matches_its_source():
    """locale/…/django.mo is committed (gettext may be missing on a server): it must say what the .po says."""
    from django.conf import settings
    from django.utils import translation

    entries = po_entries(settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert len(entries) >= 10
    with translation.override("zh-hans"):
        for msgid, plural, msgstr in entries:
            shown = translation.ngettext(msgid, plural, 2) if plural else translation.gettext(msgid)
            assert shown == msgstr, msgid


def test_a_stale_login_form_is_a_chinese_403_too(world):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    text = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in text and in_layout(text)
