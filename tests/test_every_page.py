"""Every page works for every role: sign in as each demo account of the seeded demo province, walk
every same-origin link (`<a href>`, `hx-get`) from the home page (GET only) and fail on a 500, on a
link that leads to a 403 or 404 (a page must not offer what its user cannot open), and on English
words on a page.

Bound: breadth-first, URLs that differ only in object ids or query values count as one pattern
(`/mentoring/youth/17/?period=2025` and `/mentoring/youth/23/?period=2024` are the same), the first
URL of each pattern is opened, at most MAX_PATTERNS patterns per role. A summary line (pages per
role, links checked, run time) is printed with `pytest -s`.

English text, precisely: a run of two or more Latin letters standing alone (not touching a digit,
letter or underscore: `2025H1`, `zhan_luru`, `a1b2` are codes) in a visible text node or in a
`title`, `placeholder`, `aria-label` or `alt` attribute or a button's value, outside `<script>`,
`<style>`, `<code>`, `<kbd>`, `<samp>`, `<pre>`, `<textarea>` (stored data being edited) and elements
marked `translate="no"`; also a single
lower-case letter written as a unit after a number (`3.5 h`). File names (`报告.pdf`) and demo usernames are
removed first, and the abbreviations in ALLOWED_WORDS pass.
"""

import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from stations import demo
from stations.accounts.tests.mfa_helpers import code_for
from stations.models import User

MAX_PATTERNS = 250  # per role; the demo province has fewer (the summary shows how many were walked)

# Abbreviations and product names a Chinese user reads as such.
ALLOWED_WORDS = {
    *("PDF", "Excel", "Word", "CSV", "JPG", "JPEG", "PNG", "WebP", "xlsx", "pdf", "csv", "MB", "KB"),
    *("ID", "TOTP", "IP", "URL", "QQ", "APP", "App"),
}

ROLES = [username for username, _role, _scope, _name in demo.ACCOUNTS if username != "zhan_luru2"]

SKIPPED_PATHS = ("/logout/", "/i18n/")  # sign-out and language switch are POST forms, not pages
NOT_TEXT = {"script", "style", "code", "kbd", "samp", "pre", "template", "textarea"}  # textarea: data
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])")
UNIT = re.compile(r"\d\s?([a-z])(?![A-Za-z0-9_])")  # "3.5 h", "20m" (an ID number ends in X: not a unit)
FILE_NAME = re.compile(r"\S+\.(?:pdf|xlsx|xls|csv|docx?|jpe?g|png|zip)\b", re.IGNORECASE)


class Page(HTMLParser):
    """Links and visible text of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self.hidden_depth = 0
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, does it hide its text?)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hides = tag in NOT_TEXT or attrs.get("translate") == "no"
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):  # an htmx partial is a GET page too
            self.links.append(attrs["hx-get"])
        if not self.hidden_depth and not hides:
            for name in ("title", "placeholder", "aria-label", "alt"):
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag in VOID:
            return
        self.stack.append((tag, hides))
        self.hidden_depth += hides

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Close up to the matching element: HTML lets <p>, <li>, <td> … end without an end tag.
        if tag in VOID or tag not in (open_tag for open_tag, _hides in self.stack):
            return
        while self.stack:
            open_tag, hides = self.stack.pop()
            self.hidden_depth -= hides
            if open_tag == tag:
                return

    def handle_data(self, data):
        if not self.hidden_depth and data.strip():
            self.texts.append(data)


def test_page_reads_visible_text_only():
    page = Page()
    page.feed(
        '<ul><li>一<li>二 <code>youth.close</code> Hello</ul><p translate="no">zhan<b>x</b></p>'
        '<img alt="Search"><textarea>{"a": 1}</textarea><a href="/x/" title="打开">3.5 h</a>'
    )
    assert english_words(page.texts, set()) == {"Hello": "Hello", "Search": "Search", "h": "3.5 h"}
    assert page.links == ["/x/"]


def english_words(texts: list[str], usernames: set[str]) -> dict[str, str]:
    """English words → the text they stand in (the first one), to show in the failure."""
    found = {}
    for text in texts:
        cleaned = FILE_NAME.sub(" ", text)
        for name in usernames:
            cleaned = cleaned.replace(name, " ")
        for word in WORD.findall(cleaned) + UNIT.findall(cleaned):
            if word not in ALLOWED_WORDS:
                found.setdefault(word, " ".join(text.split())[:120])
    return found


def pattern_of(url: str) -> str:
    """`/mentoring/youth/17/?period=2025&q=x` → `/mentoring/youth/#/?period&q`. In Django admin the
    query (sorting, filters, facets) never changes what kind of page it is: `/admin/x/y/`."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "#", parts.path)
    if path.startswith("/admin/"):
        return path
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def seed_demo_province():
    return demo.seed_province(random_seed=2026)


@pytest.fixture(scope="module")
def demo_province(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo province, seeded once for this module and rolled back after it: its media folder."""
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as conftest's _fast_hashers
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast), django_db_blocker.unblock(), transaction.atomic():
        seed_demo_province()
        yield media
        transaction.set_rollback(True)


def page_problems(response, url: str, usernames: set[str]) -> tuple[list[str], list[str]]:
    """(problems, links) of one 200 HTML page: its language mark and English words; its links."""
    html = response.content.decode()
    problems = []
    if "<html" in html and 'lang="zh-hans"' not in html:
        problems.append(f"not marked as Chinese (<html lang>): {url}")
    page = Page()
    page.feed(html)
    for word, text in sorted(english_words(page.texts, usernames).items()):
        problems.append(f"English {word!r} on {url}: {text!r}")
    return problems, page.links


def sign_in(username: str, usernames: set[str]) -> tuple[Client, list[str]]:
    """Sign in through the login form, with the demo TOTP code where the account needs one; the login
    and token pages are checked on the way."""
    from stations.accounts.mfa import confirmed_device, needs_second_factor

    client = Client()
    problems, _links = page_problems(client.get(reverse("login")), reverse("login"), usernames)
    response = client.post(reverse("login"), {"username": username, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, f"{username}: the demo password was refused"
    user = User.objects.get(username=username)
    if needs_second_factor(user):
        token_page = client.get(reverse("mfa:verify"))
        assert token_page.status_code == 200
        problems += page_problems(token_page, reverse("mfa:verify"), usernames)[0]
        response = client.post(reverse("mfa:verify"), {"token": code_for(confirmed_device(user))})
        assert response.status_code == 302, f"{username}: the demo TOTP code was refused"
    return client, problems


def walk(client: Client, usernames: set[str], visited: list[str] | None = None) -> tuple[int, int, list[str]]:
    """Breadth-first walk from the home page: (pages opened, links checked, problems); the HTML pages
    reached are appended to `visited` (the accessibility test in tests/e2e opens them in a browser)."""
    start = reverse("stations:home")
    queue = deque([(start, "(start)")])
    seen_patterns = {pattern_of(start)}
    problems: list[str] = []
    pages = links = 0
    while queue:
        url, source = queue.popleft()
        response = client.get(url)
        pages += 1
        if response.status_code in (301, 302):
            location = urljoin(url, response["Location"])
            if urlsplit(location).netloc not in ("", "testserver"):
                continue
            target = location
            response = client.get(location)
        else:
            target = url
        status = response.status_code
        if status >= 500 or status in (403, 404, 400, 405):
            problems.append(f"{status} {url} (linked from {source})")
            continue
        if status != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        found, hrefs = page_problems(response, target, usernames)
        problems += found
        if visited is not None:
            visited.append(target)
        for href in hrefs:
            absolute = urljoin(target, href)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
                continue
            if parts.path.startswith(SKIPPED_PATHS) or parts.path.startswith("/static/"):
                continue
            links += 1
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            pattern = pattern_of(local)
            if pattern in seen_patterns or len(seen_patterns) >= MAX_PATTERNS:
                continue
            seen_patterns.add(pattern)
            queue.append((local, target))
    return pages, links, problems


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_page_works_for_every_role(demo_province, username, settings):
    settings.DEBUG = False
    settings.MEDIA_ROOT = demo_province  # the demo's evidence files
    usernames = set(User.objects.values_list("username", flat=True))
    started = time.monotonic()
    client, problems = sign_in(username, usernames)
    pages, links, found = walk(client, usernames)
    problems += found
    seconds = time.monotonic() - started
    print(f"\n{username}: {pages} pages walked, {links} links checked, {seconds:.1f} s")
    assert pages > 3, "the walk did not leave the home page"
    assert not problems, "\n".join(problems)
