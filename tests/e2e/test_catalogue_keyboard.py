"""A state administrator changes a service's time limit with the keyboard alone: the form,
a preview of the change in words, publishing with a reason; the public charter shows the new
limit at once; the history says it in words; a rollback (keyboard again) restores the old one.
Employee verification: no other browser or integration test uses it."""

import pytest
import requests

from tests.helpers.live_api import DEMO

SERVICE = "employee_verification"


def _tab_to(page, element_id, limit=60):
    """Press Tab until the element with this id has the focus, checking each stop is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [e.id, e.name || '', e.value || '', s.outlineStyle, s.boxShadow]; })()"
        )
        assert focus[3:] != ["none", "none"], f"no visible focus on {focus[:3]}"
        if element_id in (focus[0], f"{focus[1]}={focus[2]}"):
            return
    pytest.fail(f"{element_id} cannot be reached by Tab")


def _limit(base_url):
    service = requests.get(f"{base_url}/api/v1/services/{SERVICE}?state=HR", timeout=10).json()
    return service["time_limit"]["value"], service["version"]


def test_a_time_limit_changes_and_rolls_back_by_keyboard_alone(tab_factory, base_url):
    before, version = _limit(base_url)
    assert before == 20
    tab = tab_factory()
    admin = DEMO["admin.haryana"]
    tab.csrf_form_login(admin["email"], admin["password"])
    home = tab.open("/admin/")
    english = home.locator("form.language-switch button[value=en]")
    if english.count():  # the account may have been left in Hindi by another test
        english.first.focus()
        home.keyboard.press("Enter")
        home.wait_for_load_state()
    listing = tab.open(f"/admin/catalogue/?search={SERVICE}")
    limits = listing.locator("table a[href*='/admin/catalogue/limits/']").first.get_attribute(
        "href"
    )
    page = tab.open(limits)

    _tab_to(page, "limit_value")
    page.keyboard.press("Control+A")
    page.keyboard.type("15")
    _tab_to(page, "reason")
    page.keyboard.type("Karnataka's 2026 notification: fifteen days")
    _tab_to(page, "action=preview")
    page.keyboard.press("Enter")
    page.wait_for_selector("#limits-changes")
    assert "Time limit: 20 → 15 days" in page.inner_text("#limits-changes")
    tab.check("85-limits-preview")
    assert _limit(base_url) == (20, version)  # a preview publishes nothing

    _tab_to(page, "action=publish")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/catalogue/versions/**")
    assert _limit(base_url) == (15, version + 1)
    charter = requests.get(f"{base_url}/services?state=HR", timeout=10).text
    assert "15 days" in charter
    changes = page.inner_text("#version-changes")
    assert "Time limit: 20 → 15 days" in changes
    tab.check("86-versions-after-publish")

    _tab_to(page, f"rollback-{version}")
    page.keyboard.type("Published by mistake")
    page.keyboard.press("Enter")
    page.wait_for_selector("#version-changes")
    assert _limit(base_url) == (20, version + 2)
    assert "Time limit: 15 → 20 days" in page.inner_text("#version-changes")
    tab.check("87-versions-after-rollback")
