"""The foundation's journeys in a real browser: register, confirm, log in, switch to Hindi,
officers and an administrator open the admin. Every page is screenshotted and checked by axe."""

import uuid

from app.services.seed import demo_accounts

from conftest import newest_link

DEMO = {row["email"].split("@")[0]: row for row in demo_accounts()}


def test_citizen_registers_confirms_logs_in_and_switches_to_hindi(tab_factory):
    tab = tab_factory()
    page = tab.open("/")
    tab.check("01-home-en")

    email = f"e2e-{uuid.uuid4().hex[:8]}@mail.co.in"
    tab.open("/register")
    tab.check("02-register-en")
    page.fill("#full_name", "Priya Sharma")
    page.fill("#email", email)
    page.fill("#mobile", "9876512345")
    page.select_option("#home_state", "HR")
    page.fill("#password", "Str0ng#Passw0rd")
    page.fill("#password_confirm", "Str0ng#Passw0rd")
    page.click("#submit")
    page.wait_for_url("**/registered")
    tab.check("03-registered-en")

    # The confirmation email, read in the development outbox.
    tab.open("/dev/outbox")
    page.click(f"tr:has-text('{email}') a")
    page.wait_for_load_state()
    tab.check("04-outbox-message")
    confirm = newest_link(page, r"/confirm/")
    page.goto(confirm)
    page.wait_for_load_state()

    tab.csrf_form_login(email, "Str0ng#Passw0rd")
    page.wait_for_url("**/dashboard")
    assert "Priya Sharma" in page.inner_text("h1")
    tab.check("05-dashboard-en")

    page.click("form.language-switch button[value=hi]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "hi"
    assert "स्वागत है" in page.inner_text("h1")
    tab.check("06-dashboard-hi")

    # The choice is remembered for the account: a new session starts in Hindi.
    other = tab_factory()
    other.csrf_form_login(email, "Str0ng#Passw0rd")
    other.page.wait_for_url("**/dashboard")
    assert other.page.get_attribute("html", "lang") == "hi"
    other.check("07-dashboard-hi-new-session")


def test_officers_open_the_admin_of_their_station(tab_factory):
    for who in ("officer.sector29", "sho.nitkotwali"):
        tab = tab_factory()
        tab.csrf_form_login(DEMO[who]["email"], DEMO[who]["password"])
        tab.open("/admin/")
        assert "Police Services Admin" in tab.page.inner_text("nav")
        tab.check(f"10-admin-{who}")


def test_state_admin_works_the_admin_in_both_languages_on_a_phone(tab_factory):
    account = DEMO["admin.haryana"]
    desktop = tab_factory()
    desktop.csrf_form_login(account["email"], account["password"])
    for path, name in [
        ("/admin/", "dashboard"),
        ("/admin/stations/", "stations"),
        ("/admin/postings/new/", "posting-form"),
        ("/admin/organisations/", "organisations"),
    ]:
        desktop.open(path)
        desktop.check(f"20-admin-{name}-en")
    desktop.open("/admin/stations/")
    desktop.page.click("form.language-switch button[value=hi]")
    desktop.page.wait_for_load_state()
    assert desktop.page.get_attribute("html", "lang") == "hi"
    desktop.check("21-admin-stations-hi")

    phone = tab_factory(viewport={"width": 390, "height": 844})
    phone.csrf_form_login(account["email"], account["password"])
    phone.open("/admin/holidays/")
    phone.check("22-admin-holidays-phone")
    phone.open("/")
    phone.check("23-home-phone")


def test_approving_an_organisation_with_the_bulk_action(tab_factory):
    """The action menu works under the CSP (no inline handlers) and posts with a CSRF token."""
    account = DEMO["admin.haryana"]
    tab = tab_factory()
    tab.csrf_form_login(account["email"], account["password"])
    page = tab.open("/admin/organisations/")
    page.click("form.language-switch button[value=en]")  # an earlier test may have chosen Hindi
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Shield Guard Services")
    assert "Pending" in row.inner_text()  # make test seeds a fresh database
    row.locator("input.action-checkbox").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".nav-tabs .dropdown-toggle")
    page.click("[data-model-action=approve]")
    page.wait_for_load_state()
    assert "Approved" in page.locator("tr", has_text="Shield Guard Services").inner_text()
    tab.check("30-organisation-approved")
