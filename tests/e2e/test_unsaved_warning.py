"""Unsaved edits are not discarded without a warning (issue 14 §3): leaving a form page with typed,
unsaved changes raises the browser's "leave this page?" question; a saved form leaves freely."""

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leaving_a_changed_form_asks_first(world, page, login):
    login(world.user("head"))
    edit = reverse("stations:workstation-edit", args=[world.a.station.pk])
    page.goto(edit)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", answer)
    page.click("#id_office_address")
    page.keyboard.type("站前路 18 号")  # real key presses: the page has had a user gesture
    with pytest.raises(PlaywrightError, match=r"ERR_ABORTED|cancelled"):  # staying on the page cancels it
        page.goto(reverse("stations:home"), timeout=3000)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(edit)
    assert page.input_value("#id_office_address").endswith("站前路 18 号")  # the typing is still there

    # saved: no question
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert "已保存" in page.content() or not page.url.endswith(edit)
    page.goto(reverse("stations:home"))
    assert dialogs == ["beforeunload"]


def test_an_untouched_form_leaves_without_a_question(world, page, login):
    login(world.user("head"))
    page.goto(reverse("stations:workstation-edit", args=[world.a.station.pk]))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto(reverse("stations:home"))
    assert dialogs == [] and page.url.endswith(reverse("stations:home"))
