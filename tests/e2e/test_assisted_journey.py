"""Assisted filing in a real browser on the live stack: a Common Service Centre operator files a
complaint for a walk-in citizen, who gets the number and a claim code by SMS (read in the
development outbox); the station's officer finds it by the citizen's name typed in Hindi; the
citizen, signed in on a phone with the same mobile, claims it into their account."""

import os
import re
from datetime import datetime, timedelta

from tests.helpers.live_api import DEMO

CITIZEN_MOBILE = "9810000001"  # the demo citizen's, so that they may claim it
NAME_HI = "कमला देवी"


def test_a_csc_files_for_a_walk_in_who_claims_it_on_a_phone(tab_factory):
    base_url = os.environ["LIVE_BASE_URL"].rstrip("/")
    csc = tab_factory()
    csc.csrf_form_login(DEMO["csc.gurugram"]["email"], DEMO["csc.gurugram"]["password"])
    page = csc.page
    assert page.url.rstrip("/").endswith("/desk"), page.url  # a CSC lands on its desk
    csc.check("98-desk-services")
    page.click("a[href='/desk/complaint']")
    page.wait_for_load_state()
    page.fill("#walk_in_name", NAME_HI)
    page.fill("#walk_in_mobile", "098100 00001")
    page.fill("#complainant_name", NAME_HI)
    page.fill("#complainant_mobile", CITIZEN_MOBILE)
    page.fill("#complainant_address", "Gali 3, Sector 29, Gurugram")
    page.select_option("#category", "theft")
    page.fill("#incident_at", (datetime.now() - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#incident_place", "Sector 29 market")
    page.fill("#incident_pincode", "122009")
    page.fill("#description", "My purse was taken from my bag in the market.")
    csc.check("99-desk-form")
    page.click("form[action='/desk/complaint'] button[type=submit]")
    page.wait_for_load_state()
    assert CITIZEN_MOBILE in page.inner_text("main")  # checked before filing
    page.click("form[action='/desk/complaint'] button[type=submit]:not([name=confirm])")
    page.wait_for_load_state()
    number = re.search(r"HR-CMP-\d{4}-\d{6}-\S", page.inner_text("main")).group(0)
    assert "XXXXXX0001" in page.inner_text("main")
    csc.check("100-desk-done")

    # The SMS with the number and the claim code, in Hindi (the default at the desk).
    outbox = csc.open("/dev/outbox")
    outbox.locator("tr", has_text=CITIZEN_MOBILE).first.locator("a").click()
    outbox.wait_for_load_state()
    sms = outbox.inner_text("main")
    assert number in sms and "कोड" in sms
    code = re.search(r"कोड ([A-Z0-9]{6})", sms).group(1)

    # The station's officer finds it by the name as typed in Hindi.
    officer = tab_factory()
    officer.csrf_form_login(DEMO["officer.sector29"]["email"], DEMO["officer.sector29"]["password"])
    queue = officer.open("/admin/queue/")
    queue.fill("#queue-search", NAME_HI)
    queue.press("#queue-search", "Enter")
    queue.wait_for_load_state()
    assert number in queue.inner_text("main")

    # The citizen claims it on a phone, typing the number without dashes.
    citizen = tab_factory(viewport={"width": 390, "height": 844})
    citizen.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    mine = citizen.open("/my/requests")
    mine.click("a[href='/my/claim']")
    mine.wait_for_load_state()
    mine.fill("#number", number.replace("-", ""))
    mine.fill("#code", code.lower())
    citizen.check("101-claim-phone")
    mine.click("form[action='/my/claim'] button[type=submit]")
    mine.wait_for_load_state()
    assert mine.url.endswith(f"/my/requests/{number}") and number in mine.inner_text("main")
    assert mine.evaluate("document.documentElement.scrollWidth") <= 390
    assert base_url in mine.url
