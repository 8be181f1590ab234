"""A required field in a closed section: when the browser finds it invalid, the section opens."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_closed_section_opens_on_its_invalid_field(world, page, login):
    login(world.user("county"))
    page.goto("/inspections/")
    section = page.locator("details:has([data-testid=round-open-form])")
    assert section.get_attribute("open") is None
    # The county left empty, then the form submitted (as Enter in another of its fields would):
    # the browser's check fires `invalid` on the hidden select.
    page.evaluate(
        """() => {
          const form = document.querySelector("[data-testid=round-open-form]");
          form.querySelector("#id_county").value = "";
          form.requestSubmit();
        }"""
    )
    assert section.get_attribute("open") is not None
    assert page.locator("#id_county").is_visible()
    assert page.url.endswith("/inspections/")  # nothing was posted
