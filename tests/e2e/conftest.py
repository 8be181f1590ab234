"""Browser tests: Playwright (Python) driving the system Chromium against pytest-django's live server."""

import os
import shutil

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class SerialWSGIServer(WSGIServer):
    """The live server answering one request at a time (Django then closes each connection)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


if connection.vendor == "sqlite":
    # The in-memory SQLite test database is one connection, shared by every thread of the live server:
    # two requests at once (a page and its service worker's fetch) would interleave statements on it and
    # fail at random. PostgreSQL (CI) keeps the threaded server.
    LiveServerThread.server_class = SerialWSGIServer
# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: run `make test` as root or `apt-get install chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    """login(user) signs in through the real login form (password from the factories)."""
    from stations.tests.factories import PASSWORD

    def sign_in(user, password=PASSWORD):
        from stations.accounts.mfa import needs_second_factor
        from stations.accounts.tests.mfa_helpers import code_for, device_for

        device = device_for(user) if needs_second_factor(user) else None
        page.goto("/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        if device is not None:  # administrators give their TOTP code next (AUTH-7)
            page.fill("#id_token", code_for(device))
            page.click("#mfa-submit")
            page.wait_for_load_state("networkidle")
        return page

    return sign_in
