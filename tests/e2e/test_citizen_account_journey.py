"""The citizen's side in a real browser: an account made and used with a mobile number and the
code from the outbox (on a phone, in Hindi), a form's errors each named and linked, and a
character certificate whose PDF carries the photograph, the officers and the validity under a
signature the verify page still calls genuine."""

import io
import random
import re

import requests
from PIL import Image
from pypdf import PdfReader

from tests.helpers.live_api import DEMO, submit, token_headers
from tests.helpers.service_data import PNG


def _code_from_outbox(tab, mobile):
    """The six-digit code of the newest SMS to `mobile`, read from the development outbox."""
    outbox = tab.open("/dev/outbox")
    outbox.locator("tr", has_text=mobile).first.locator("a").click()
    outbox.wait_for_load_state()
    return re.search(r"\b(\d{6})\b", outbox.inner_text("main")).group(1)


def test_register_and_sign_in_with_a_mobile_and_the_code_from_the_outbox(tab_factory):
    mobile = "9" + "".join(random.choice("0123456789") for _ in range(9))
    phone = tab_factory(viewport={"width": 390, "height": 844})
    page = phone.open("/register/mobile")
    page.click("form.language-switch button[value=hi]")
    page.wait_for_load_state()
    phone.check("120-register-mobile-hi-phone")
    page.fill("#full_name", "मीना देवी")
    page.fill("#mobile", f"+91 {mobile[:5]} {mobile[5:]}")  # typed as people write it
    page.select_option("#home_state", "HR")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert f"XXXXXX{mobile[-4:]}" in page.inner_text("main")
    phone.check("121-register-code-hi-phone")
    code = _code_from_outbox(tab_factory(), mobile)
    page.fill("#code", code)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard")
    assert "मीना देवी" in page.inner_text("main") and "सत्यापित" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.check("122-registered-dashboard-hi-phone")

    # Another day, on a desktop: sign in with the mobile and a new code.
    desk = tab_factory()
    page = desk.open("/login")
    page.click("a[href='/signin/mobile']")
    page.wait_for_load_state()
    page.fill("#identity", mobile)
    page.click("button[name=submit_send_code]")
    page.wait_for_load_state()
    desk.check("123-signin-mobile-code-sent")
    second = _code_from_outbox(tab_factory(), mobile)
    page.fill("#identity", mobile)
    page.fill("#passcode", second)
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard") and "मीना देवी" in page.inner_text("main")

    # The same code a second time signs nobody in.
    again = tab_factory()
    page = again.open("/signin/mobile")
    page.fill("#identity", mobile)
    page.fill("#passcode", second)
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert "/signin/mobile" in page.url and page.locator(".field-error").count() >= 1


def test_a_form_with_three_errors_names_and_links_each(tab_factory):
    tab = tab_factory()
    tab.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    page = tab.open("/services/lost_article/apply")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary a")
    required = page.locator("form.stack [aria-invalid=true]").count()
    assert summary.count() == required >= 3
    for i in range(summary.count()):
        link = summary.nth(i)
        target = link.get_attribute("href")
        label = page.locator(f"label[for='{target[1:]}']").first.inner_text()
        assert label.replace("*", "").strip() in link.inner_text()
    summary.first.click()
    assert page.evaluate("document.activeElement.id") == summary.first.get_attribute("href")[1:]
    tab.check("124-apply-errors-named")


def test_a_character_certificate_shows_photo_officers_and_validity_and_verifies(
    tab_factory, base_url
):
    citizen_api = token_headers(base_url, "citizen")
    number = submit(base_url, citizen_api, "character_certificate", station="HR-GGM-SEC29")
    officer = token_headers(base_url, "officer.sector29")
    sho = token_headers(base_url, "sho.sector29")
    for headers, action in ((officer, "accept"), (officer, "submit_report"), (sho, "approve")):
        moved = requests.post(
            f"{base_url}/api/v1/requests/{number}/transitions",
            headers=headers,
            json={"action": action, "remark": "Antecedents checked at the station."},
            timeout=30,
        )
        assert moved.status_code == 200, moved.text

    tab = tab_factory()
    tab.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    status = tab.open(f"/my/requests/{number}")
    link = status.locator("a[href$='.pdf'][href*='/documents/']").first.get_attribute("href")
    pdf = status.request.get(base_url + link if link.startswith("/") else link)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.body()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "SI Pooja Rani" in text and "Verified by" in text  # who verified, with rank
    assert "Inspector Vikram Singh" in text and "Decided by" in text  # who decided
    assert "Valid until" in text
    # The one raster image is the applicant's photograph (the QR code is drawn as vectors).
    images = [image for page in reader.pages for image in page.images]
    uploaded = Image.open(io.BytesIO(PNG))
    assert len(images) == 1 and images[0].image.size == uploaded.size
    code = status.inner_text("a.verification-code")
    page = tab_factory().open(f"/verify/{code}")
    assert "Genuine and current" in page.inner_text("main")
