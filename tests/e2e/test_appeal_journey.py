"""Appeals and supervision in the browser: a refused request is appealed in Hindi, the
supervisor allows it in the admin, and the supervision and senior-citizen pages pass axe-core."""

import os

import requests

from tests.helpers.live_api import DEMO, submit_grievance, token_headers


def _api(base_url, who):
    session = requests.Session()
    session.headers.update(token_headers(base_url, who))
    return session


def _refused_grievance(base_url):
    """A grievance the district supervisor closed with reasons, made through the API."""
    number = submit_grievance(base_url, token_headers(base_url, "citizen"))
    acp = _api(base_url, "acp.gurugram")
    for action, remark in (("take_up", ""), ("reject", "शिकायत पुलिस के अधिकार क्षेत्र में नहीं है।")):
        done = acp.post(
            f"{base_url}/api/v1/requests/{number}/transitions",
            json={"action": action, "remark": remark},
            timeout=10,
        )
        assert done.status_code == 200, done.text
    return number


def test_a_refused_grievance_is_appealed_in_hindi_and_decided_in_the_admin(tab_factory):
    number = _refused_grievance(os.environ["LIVE_BASE_URL"].rstrip("/"))
    citizen = tab_factory(viewport={"width": 390, "height": 844})  # a phone
    citizen.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    page = citizen.open(f"/my/requests/{number}")
    page.click("form.language-switch button[value=hi]")
    page.wait_for_load_state()
    assert "प्रथम अपील" in page.inner_text("main")
    citizen.check("50-appeal-offered-hi")
    page.fill("#text-field", "मेरी शिकायत पर ठीक से विचार नहीं किया गया।")
    page.click("form[action$='/appeal'] button[type=submit]")
    page.wait_for_load_state()
    assert f"{number}/A1" in page.inner_text("main")
    citizen.check("51-appeal-filed-hi")

    authority = tab_factory()
    authority.csrf_form_login(DEMO["admin.haryana"]["email"], DEMO["admin.haryana"]["password"])
    listing = authority.open("/admin/appeals/")
    authority.check("52-admin-appeals")
    listing.click(f"text={number}/A1")
    listing.wait_for_load_state()
    authority.check("53-admin-appeal-detail")
    listing.check("#outcome-allowed")
    listing.fill("#remark-field", "Reconsider: the grievance concerns a police officer's conduct.")
    listing.click("form:has(#remark-field) button[type=submit]")
    listing.wait_for_load_state()
    assert "Allowed" in listing.inner_text("main")

    supervision = authority.open("/admin/supervision/")
    assert "Disposal this month and the two before" in supervision.inner_text("main")
    authority.check("54-admin-supervision")
    authority.open("/admin/seniors/")
    authority.check("55-admin-seniors")

    page = citizen.open(f"/my/requests/{number}")
    text = page.inner_text("main")
    assert "स्वीकृत" in text and "Reconsider" in text
    citizen.check("56-appeal-allowed-hi")


def test_the_sho_exports_the_stations_requests_and_watches_it_finish(tab_factory):
    """The worker writes the CSV; the page's progress reaches "Ready" without a reload (admin.js
    polls), and the file downloads with the register's header row."""
    sho = tab_factory()
    sho.csrf_form_login(DEMO["sho.sector29"]["email"], DEMO["sho.sector29"]["password"])
    page = sho.open("/admin/exports/")
    page.click("#export-form button[type=submit]")
    page.wait_for_load_state()
    row = page.locator("tr[data-export-status]").first
    row.locator(".export-text", has_text="Ready").wait_for(timeout=30000)
    assert row.locator("progress").get_attribute("value") == "100"
    sho.check("57-admin-export-ready")
    with page.expect_download() as download:
        row.locator(".export-download a").click()
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        header = handle.readline().strip()
    assert header.startswith("number,service,station,status")
