"""Security seen from the browser: the password-reset mail links to the configured public
address, and following it in the browser sets a new password."""

import uuid

from conftest import newest_link


def test_the_reset_mail_links_to_the_public_address_and_works(tab_factory, base_url):
    tab = tab_factory()
    page = tab.page
    email = f"e2e-reset-{uuid.uuid4().hex[:8]}@mail.co.in"
    # A fresh account, so the test changes no demo password.
    tab.open("/register")
    page.fill("#full_name", "Reset Person")
    page.fill("#email", email)
    page.fill("#mobile", "9876512346")
    page.select_option("#home_state", "HR")
    page.fill("#password", "Str0ng#Passw0rd")
    page.fill("#password_confirm", "Str0ng#Passw0rd")
    page.click("#submit")
    page.wait_for_url("**/registered")
    tab.open("/dev/outbox")
    page.click(f"tr:has-text('{email}') a")
    page.wait_for_load_state()
    page.goto(newest_link(page, r"/confirm/"))
    page.wait_for_load_state()
    page.context.clear_cookies()  # confirming signs the person in; the reset is asked signed out

    tab.open("/reset")
    page.fill("#email", email)
    page.click("#submit")
    page.wait_for_load_state()
    tab.check("security-reset-requested")

    # The mail is written by the worker: wait for it in the development outbox.
    for _ in range(40):
        tab.open("/dev/outbox")
        rows = page.locator(f"tr:has-text('{email}')")
        if rows.count() >= 2:  # the confirmation, then the reset
            break
        page.wait_for_timeout(500)
    page.locator(f"tr:has-text('{email}') a").first.click()
    page.wait_for_load_state()
    tab.check("security-reset-mail")
    link = newest_link(page, r"/reset/")
    assert link.startswith(base_url + "/reset/"), link

    page.goto(link)
    page.wait_for_load_state()
    page.fill("#password", "An0ther#Passw0rd-2026")
    page.fill("#password_confirm", "An0ther#Passw0rd-2026")
    page.click("#submit")
    page.wait_for_load_state()
    tab.check("security-reset-done")
    tab.csrf_form_login(email, "An0ther#Passw0rd-2026")
    page.wait_for_url("**/dashboard")
