"""A request filed at the wrong station is transferred, in a real browser: the station officer
proposes it on a desktop, the SHO approves it on a phone, the receiving station's officer takes it
up, and the applicant reads in Hindi where it went and why."""

import os

from tests.helpers.live_api import DEMO, submit, token_headers

PHONE = {"width": 390, "height": 844}
REASON = "The tenant lives in NIT-1, Faridabad: the PIN code was mistyped."


def _login(tab, who):
    tab.csrf_form_login(DEMO[who]["email"], DEMO[who]["password"])


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_officer_proposes_the_sho_approves_and_the_receiving_station_takes_it_up(tab_factory):
    base_url = os.environ["LIVE_BASE_URL"].rstrip("/")
    number = submit(base_url, token_headers(base_url, "citizen"), "tenant_verification")

    officer = tab_factory()
    _login(officer, "officer.sector29")
    page = officer.open("/admin/queue/")
    page.click(f"text={number}")
    page.wait_for_load_state()
    request_page = page.url.replace(officer.base_url, "")
    page.select_option("#transfer-station", "HR-FBD-NITK")
    page.fill("#transfer-reason", REASON)
    officer.check("100-admin-transfer-propose")
    page.click("text=Propose the transfer to the SHO")
    page.wait_for_load_state()
    assert "Transfer proposed. The SHO will decide." in page.inner_text("main")

    sho = tab_factory(viewport=PHONE)
    _login(sho, "sho.sector29")
    page = sho.open(request_page)
    assert REASON in page.inner_text("main")
    assert _no_sideways_scroll(page)
    sho.check("101-admin-transfer-decide-phone")
    page.click("text=Approve the transfer")
    page.wait_for_load_state()
    assert "Transferred to NIT Kotwali Police Station." in page.inner_text("main")
    assert number not in sho.open("/admin/queue/").inner_text("main")

    receiving = tab_factory()
    _login(receiving, "officer.nitkotwali")
    page = receiving.open("/admin/queue/")
    page.click(f"text={number}")
    page.wait_for_load_state()
    assert "NIT Kotwali Police Station" in page.inner_text("main")
    page.click("text=Accept for verification")
    page.wait_for_load_state()
    assert "Done." in page.inner_text("main")

    citizen = tab_factory(viewport=PHONE)
    _login(citizen, "citizen")
    page = citizen.open(f"/my/requests/{number}")
    page.click("form.language-switch button[value=hi]")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "को स्थानांतरित" in text and REASON in text
    assert _no_sideways_scroll(page)
    citizen.check("102-transfer-seen-by-applicant-hi")
    page.click("form.language-switch button[value=en]")
    page.wait_for_load_state()
