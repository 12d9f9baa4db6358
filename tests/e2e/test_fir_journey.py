"""A complaint becomes an FIR whose progress the complainant follows to the court's outcome,
in a real browser: the SHO registers it from the complaint in the admin, the complainant signs
the e-FIR in Hindi, the station records the case's steps, the complainant downloads the free
copy, and anyone finds the FIR's status by station, year and number."""

import os
import re
from datetime import datetime
from pathlib import Path

import requests

from tests.helpers.live_api import DEMO, submit, token_headers


def _complaint_under_enquiry(base_url):
    number = submit(base_url, token_headers(base_url, "citizen"), "complaint")
    sho = token_headers(base_url, "sho.sector29")
    for action in ("acknowledge", "start_enquiry"):
        done = requests.post(
            f"{base_url}/api/v1/requests/{number}/transitions",
            headers=sho,
            json={"action": action},
            timeout=10,
        )
        assert done.status_code == 200, done.text
    return number


def test_a_complaint_becomes_an_fir_followed_to_the_courts_outcome(tab_factory):
    base_url = os.environ["LIVE_BASE_URL"].rstrip("/")
    number = _complaint_under_enquiry(base_url)

    sho = tab_factory()
    sho.csrf_form_login(DEMO["sho.sector29"]["email"], DEMO["sho.sector29"]["password"])
    queue = sho.open("/admin/queue/")
    queue.click(f"text={number}")
    queue.wait_for_load_state()
    queue.click("text=Register an FIR from this complaint")
    queue.wait_for_load_state()
    sho.check("90-admin-fir-form")
    queue.check("input[name=sections][value='BNS 303(2)']")
    queue.click("form[action$='/admin/firs/new'] button[type=submit]")
    queue.wait_for_load_state()
    assert "e-FIR drafted" in queue.inner_text("main")
    fir_admin = queue.url

    citizen = tab_factory(viewport={"width": 390, "height": 844})
    citizen.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    page = citizen.open(f"/my/requests/{number}")
    page.click("form.language-switch button[value=hi]")
    page.wait_for_load_state()
    page.click("a[href^='/my/firs/']")
    page.wait_for_load_state()
    assert "अपनी एफ़आईआर की पुष्टि करें" in page.inner_text("main")
    citizen.check("91-fir-confirm-hi")
    page.check("#true_statement")
    page.fill("#signed_name", "Test value")
    page.click("form[action$='/confirm'] button[type=submit]")
    page.wait_for_load_state()
    heading = page.inner_text("h1")
    fir_number = re.search(r"\d{4}/\d{4}", heading).group(0)
    fir_page = page.url

    for step in (
        {"kind": "investigation", "text": "CCTV footage of the market seized."},
        {"kind": "arrest", "name": "Accused One", "at": datetime.now().strftime("%Y-%m-%dT%H:%M")},
        {
            "kind": "charge_sheet",
            "text": "Charge-sheet filed.",
            "court": "JMIC Gurugram",
            "case_number": "CIS 501/2026",
        },  # fmt: skip
        {"kind": "hearing", "on": "2027-02-01T10:30", "text": "Evidence"},
        {"kind": "outcome", "outcome": "convicted", "text": "Six months and a fine."},
    ):
        admin = sho.open(fir_admin.replace(sho.base_url, ""))
        admin.select_option("#kind", step["kind"])
        for field, value in step.items():
            if field in ("kind", "outcome"):
                continue
            admin.fill(f"form[action$='/progress'] #{field}", value)
        if "outcome" in step:
            admin.select_option("#outcome", step["outcome"])
        admin.click("form[action$='/progress'] button[type=submit]")
        admin.wait_for_load_state()
        assert "Recorded" in admin.inner_text("main"), step
    sho.check("92-admin-fir-decided")

    page = citizen.open(fir_page.replace(citizen.base_url, ""))
    text = page.inner_text("main")
    assert "न्यायालय द्वारा निर्णीत" in text and "CIS 501/2026" in text and "दोषसिद्ध" in text
    assert "Accused One" not in text  # the arrested person's name stays with the police
    citizen.check("93-fir-decided-hi")
    with page.expect_download() as download:
        page.click("a[href$='/copy.pdf']")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.click("form.language-switch button[value=en]")
    page.wait_for_load_state()

    public = tab_factory()
    seq, year = fir_number.split("/")
    page = public.open(f"/track?search=fir&station=HR-GGM-SEC29&year={year}&number={seq}")
    assert "Decided by the court" in page.inner_text("main")
    assert "Test value" not in page.inner_text("main")
    public.check("94-fir-status-public")
