"""Phone width (390 × 844): the list pages of a station user keep rows readable: no row grows taller
than a few lines, and the key (first) column stays in view while the table scrolls sideways."""

import pytest
from django.urls import reverse

from stations import demo
from tests.test_every_page import seed_demo_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = [
    "activities:activity-list",
    "volunteers:volunteer-list",
    "volunteers:training-list",
    "mentoring:youth-list",
    "mentoring:overdue-list",
    "mentoring:followup-list",
    "mentoring:call-list",
    "mentoring:encounter-list",
    "inspections:rectification-list",
]
MAX_ROW_HEIGHT = 120  # px: three or four lines of text; a row wrapped one character per line is ~500 px

ROWS = """() => [...document.querySelectorAll("main table:has(> thead) > tbody > tr")].map(row => {
  const box = row.getBoundingClientRect();
  return {height: box.height, text: row.innerText.replace(/\\s+/g, " ").slice(0, 60)};
})"""
KEY_CELLS_AFTER_SCROLL = """() => [...document.querySelectorAll("main table:has(> thead)")].flatMap(table => {
  table.scrollLeft = table.scrollWidth;
  return [...table.querySelectorAll("tbody > tr > :first-child:not([colspan])")].map(cell => {
    const box = cell.getBoundingClientRect();
    return {left: box.left, right: box.right, scrolled: table.scrollLeft, text: cell.innerText.slice(0, 30)};
  });
})"""


def test_list_pages_keep_rows_readable_at_phone_width(browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo_province()
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto("/login/")
        page.fill("#id_username", "zhan_luru")
        page.fill("#id_password", demo.DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        problems = []
        rows_seen = 0
        for name in LISTS:
            url = reverse(name)
            page.goto(url)
            rows = page.evaluate(ROWS)
            rows_seen += len(rows)
            tall = [row for row in rows if row["height"] > MAX_ROW_HEIGHT]
            problems += [f"{url}: a row is {row['height']:.0f} px high: {row['text']}" for row in tall]
            for cell in page.evaluate(KEY_CELLS_AFTER_SCROLL):
                if cell["left"] < 0 or cell["right"] > 390:
                    problems.append(f"{url}: the key column left the screen ({cell['text']})")
                    break
        assert rows_seen > 20, "the demo station's lists are empty"
        assert not problems, "\n".join(problems)
    finally:
        context.close()
