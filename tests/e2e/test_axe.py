"""Accessibility: axe-core finds no critical or serious violation on any page a demo account reaches.

The pages are the link walker's (tests/test_every_page.py) for each demo role, bounded to the first
page of every Django URL route per role (a route renders one template; its other ids and query
strings are the same markup with other rows). axe-core is vendored for tests only
(tests/e2e/vendor/axe-core) and injected into each page; the page's CSP is bypassed for that script.
"""

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve

from stations import demo
from stations.accounts.mfa import confirmed_device, needs_second_factor
from stations.accounts.tests.mfa_helpers import code_for
from stations.models import User
from tests.test_every_page import ROLES, seed_demo_province, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
RUN_AXE = """async (impacts) => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.filter(v => impacts.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


def pages_of(username: str, usernames: set[str]) -> list[str]:
    """The walker's pages for `username`, the first one of each URL route."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    visited: list[str] = []
    walk(client, usernames, visited)
    by_route: dict[str, str] = {}
    for url in visited:
        match = resolve(urlsplit(url).path)
        by_route.setdefault(f"{match.route}|{match.view_name}", url)
    return list(by_route.values())


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    user = User.objects.get(username=username)
    if needs_second_factor(user):
        page.fill("#id_token", code_for(confirmed_device(user)))
        page.click("#mfa-submit")
        page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url, f"{username} could not sign in"


def violations_on(page, url: str) -> list[str]:
    response = page.goto(url, wait_until="load")
    if response is not None and "<html" not in response.text()[:2000]:
        return []  # a fragment that htmx puts into a page (e.g. a search box's options), not a document
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE, list(BLOCKING))
    return [f"{url}: {v['impact']} {v['id']} ({v['help']}) at {', '.join(v['targets'])}" for v in found]


def test_no_critical_or_serious_accessibility_violation_on_any_page(browser, live_server, settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo_province()
    usernames = set(User.objects.values_list("username", flat=True))
    problems: list[str] = []
    for username in ROLES:
        started = time.monotonic()
        urls = pages_of(username, usernames)
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            sign_in(page, username)
            for url in urls:
                problems += violations_on(page, url)
        finally:
            context.close()
        print(f"\n{username}: {len(urls)} pages checked with axe, {time.monotonic() - started:.1f} s")
    assert not problems, "\n".join(problems)
