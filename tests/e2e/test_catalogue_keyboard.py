"""A state administrator changes a service with the keyboard alone: adds a required field with a
Hindi label in the fields table, changes the time limit in its form, previews each change in
words and publishes it with a reason; the applicant's form shows the field and the public charter
the new limit at once; the history says both changes in words; a rollback (keyboard again)
restores version N−1. Employee verification: no other browser or integration test uses it."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.helpers.live_api import DEMO

SERVICE = "employee_verification"


def _tab_to(page, element_id, limit=250):
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


def _submit(page):
    """Enter on the focused button, and wait for the page it brings."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _live(base_url):
    service = requests.get(f"{base_url}/api/v1/services/{SERVICE}?state=HR", timeout=10).json()
    return service["time_limit"]["value"], service["version"], service["schema"]["required"]


def _english(tab):
    home = tab.open("/admin/")
    english = home.locator("form.language-switch button[value=en]")
    if english.count():  # the account may have been left in Hindi by another test
        english.first.focus()
        with home.expect_navigation():
            home.keyboard.press("Enter")


def test_a_field_and_a_time_limit_change_and_roll_back_by_keyboard_alone(tab_factory, base_url):
    limit, version, required = _live(base_url)
    assert limit == 20 and "previous_employer" not in required
    tab = tab_factory()
    admin = DEMO["admin.haryana"]
    tab.csrf_form_login(admin["email"], admin["password"])
    _english(tab)
    listing = tab.open(f"/admin/catalogue/?search={SERVICE}")
    fields = listing.locator("table a[href*='/admin/catalogue/fields/']").first.get_attribute(
        "href"
    )
    limits = listing.locator("table a[href*='/admin/catalogue/limits/']").first.get_attribute(
        "href"
    )

    # 1. A required field with a Hindi label, in the fields table.
    page = tab.open(fields)
    _tab_to(page, "fb-new_label_en")
    page.keyboard.type("Previous employer")
    _tab_to(page, "fb-new_label_hi")
    page.keyboard.type("पिछला नियोक्ता")
    _tab_to(page, "fb-new_name")
    page.keyboard.type("previous_employer")
    _tab_to(page, "fb-new_required")
    page.keyboard.press("Space")
    _tab_to(page, "action=add")
    _submit(page)
    assert "Field “Previous employer” added (required)" in page.inner_text("#fields-changes")
    _tab_to(page, "action=preview:hi")
    _submit(page)
    assert "पिछला नियोक्ता" in page.inner_text("#fields-preview-title + fieldset")
    tab.check("84-fields-draft-preview-hi")
    assert _live(base_url)[1] == version  # a draft publishes nothing
    _tab_to(page, "fb-reason")
    page.keyboard.type("Employers asked for the previous employer")
    _tab_to(page, "action=publish")
    _submit(page)
    assert "/admin/catalogue/versions/" in page.url
    assert "previous_employer" in _live(base_url)[2]

    # 2. The time limit, in its form.
    page = tab.open(limits)
    _tab_to(page, "limit_value")
    page.keyboard.press("Control+A")
    page.keyboard.type("15")
    _tab_to(page, "reason")
    page.keyboard.type("The 2026 notification: fifteen days")
    _tab_to(page, "action=preview")
    _submit(page)
    assert "Time limit: 20 → 15 days" in page.inner_text("#limits-changes")
    tab.check("85-limits-preview")
    _tab_to(page, "action=publish")
    _submit(page)
    assert "/admin/catalogue/versions/" in page.url
    assert _live(base_url)[:2] == (15, version + 2)

    # The public sees both at once.
    assert "15 days" in requests.get(f"{base_url}/services?state=HR", timeout=10).text
    employer = tab_factory()  # employee verification is applied for by organisations
    employer.csrf_form_login(DEMO["hotel"]["email"], DEMO["hotel"]["password"])  # approved
    form = employer.open(f"/services/{SERVICE}/apply?state=HR")
    assert "Previous employer" in form.inner_text("main")

    # 3. The history says both in words; a rollback restores version N−1.
    service_id = parse_qs(urlsplit(page.url).query)["id"][0]
    page = tab.open(f"/admin/catalogue/versions/?id={service_id}&from={version}&to={version + 2}")
    changes = page.inner_text("#version-changes")
    assert "Time limit: 20 → 15 days" in changes
    assert "Field “Previous employer” added (required)" in changes
    tab.check("86-versions-both-changes")
    _tab_to(page, f"rollback-{version + 1}")
    page.keyboard.type("Fifteen days was published too early")
    _submit(page)
    limit, now, required = _live(base_url)
    assert (limit, now) == (20, version + 3) and "previous_employer" in required
    assert "Time limit: 15 → 20 days" in page.inner_text("#version-changes")
    tab.check("87-versions-after-rollback")


def test_a_copy_gets_a_new_state_and_step_in_the_workflow_by_keyboard_alone(tab_factory):
    """A new service from a copy of employee verification (withdrawn from the public, so no
    other test sees it), then a state and a step to it added in the workflow builder: the
    diagram flags the state while nothing leads to it and draws the step once it is added."""
    tab = tab_factory()
    admin = DEMO["admin.haryana"]
    tab.csrf_form_login(admin["email"], admin["password"])
    _english(tab)
    page = tab.open(f"/admin/catalogue/copy/?source={SERVICE}")
    for element_id, text in (
        ("cp-name_en", "Contract worker verification"),
        ("cp-name_hi", "संविदा कर्मी सत्यापन"),
        ("cp-code", "contract_worker_verification"),
        ("cp-number_prefix", "CWV"),
    ):
        _tab_to(page, element_id)
        page.keyboard.type(text)
    tab.check("88-copy-form")
    _submit(page)  # Enter in the prefix, the last input, sends the form
    assert "/admin/catalogue/fields/" in page.url
    service_id = parse_qs(urlsplit(page.url).query)["id"][0]

    page = tab.open(f"/admin/catalogue/workflow/?id={service_id}")
    _tab_to(page, "wf-st_public_en")
    page.keyboard.type("Contractor asked")
    _tab_to(page, "wf-st_public_hi")
    page.keyboard.type("ठेकेदार से पूछा गया")
    _tab_to(page, "wf-st_name")
    page.keyboard.type("contractor_asked")
    _tab_to(page, "action=state")
    _submit(page)
    assert "“Contractor asked” (contractor_asked): no step leads to it" in page.inner_text(
        "#wf-faults"
    )
    assert page.locator("#wf-diagram rect[stroke-dasharray]").count() == 1
    tab.check("89-workflow-state-flagged")

    _tab_to(page, "wf-tr_label_en")
    page.keyboard.type("Ask the contractor")
    _tab_to(page, "wf-tr_label_hi")
    page.keyboard.type("ठेकेदार से पूछें")
    _tab_to(page, "wf-tr_action")
    page.keyboard.type("ask_contractor")
    _tab_to(page, "wf-tr_to")
    page.keyboard.type("Contractor")  # a select takes the first option typed
    first_from = page.locator("#wf-tr_from input").first.get_attribute("id")
    _tab_to(page, first_from)
    page.keyboard.press("Space")
    _tab_to(page, "wf-role-3")  # station officer
    page.keyboard.press("Space")
    _tab_to(page, "action=step")
    _submit(page)
    # It is reached now, but nothing leaves it: still flagged, for that alone.
    faults = page.inner_text("#wf-faults")
    assert "no step leads to it" not in faults and "no step leaves it" in faults
    assert "Ask the contractor" in page.inner_text("#wf-diagram")
    assert "Step “Ask the contractor” added" in page.inner_text("#wf-changes")
