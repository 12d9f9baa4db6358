"""A request's whole life in the browser: applied for in Hindi, approved in the admin."""

import re
from datetime import datetime
from pathlib import Path

from app.services.seed import demo_accounts
from tests.helpers.service_data import PDF, PNG

DEMO = {row["email"].split("@")[0]: row for row in demo_accounts()}


def _attach_tenant_files(page):
    """The tenant's photograph and ID proof, chosen on the tenant verification form."""
    page.set_input_files(
        "#tenant_photo", files=[{"name": "photo.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.set_input_files(
        "#tenant_id_proof",
        files=[{"name": "aadhaar.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )


def test_tenant_verification_in_hindi_approved_by_officers_in_the_admin(tab_factory):
    citizen = tab_factory()
    citizen.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    page = citizen.open("/services/tenant_verification/apply")
    page.click("form.language-switch button[value=hi]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "hi"
    citizen.check("40-apply-form-hi")

    page.fill("#owner_name", "आशा वर्मा")
    page.fill("#owner_mobile", "9810000001")
    page.fill("#property_address", "मकान नं. 12, सेक्टर 29, गुरुग्राम")
    page.fill("#property_pincode", "122009")
    page.fill("#tenant_name", "रोहित कुमार")
    page.fill("#tenant_father_name", "सुरेश कुमार")
    page.fill("#tenant_dob", "1994-05-10")
    page.fill("#tenant_mobile", "9812345678")
    page.fill("#tenant_permanent_address", "गाँव खेड़ी, ज़िला जींद, हरियाणा")
    page.select_option("#tenant_occupation", "salaried")
    page.fill("#reference_1", "अनिल, 9811111111")
    page.fill("#tenancy_start", "2026-11-01")
    _attach_tenant_files(page)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    assert "अपने उत्तर जाँचें" in page.inner_text("main")
    citizen.check("41-apply-review-hi")
    page.click("form.stack .actions button.button >> nth=0")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "आपका अनुरोध प्राप्त हो गया है" in text
    number = re.search(r"HR-TEN-\d{4}-\d{6}-[0-9A-Z*]", text).group(0)
    citizen.check("42-acknowledgement-hi")
    with page.expect_download() as acknowledgement:
        page.click("a[href$='/acknowledgement.pdf'] >> nth=0")
    assert Path(acknowledgement.value.path()).read_bytes().startswith(b"%PDF")

    sessions = {}

    def act(who, action, remark="", report=None):
        tab = sessions.get(who)
        if tab is None:
            tab = sessions[who] = tab_factory()
            tab.csrf_form_login(DEMO[who]["email"], DEMO[who]["password"])
        queue = tab.open("/admin/queue/")
        queue.click(f"text={number}")
        queue.wait_for_load_state()
        # One action panel: one remark box, a button per step; a closing step asks to confirm.
        if remark:
            queue.fill("#remark", remark)
        for name, value in (report or {}).items():  # the step's structured report
            field = queue.locator(f"#report_{name}")
            if name == "visit_photo":
                field.set_input_files(value)
            elif field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        dialogs = []
        queue.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        queue.click(f"button[name=action][value={action}]")
        queue.wait_for_load_state()
        closes = action == "approve"
        assert bool(dialogs) == closes, dialogs
        return tab

    officer = act("officer.sector29", "accept")
    officer.check("43-admin-request-accepted")
    report = {
        "visited_on": datetime.now().strftime("%Y-%m-%d"),
        "finding": "verified",
        "neighbours": "Mr. Sharma, H.No. 14",
        "visit_photo": {"name": "visit.png", "mimeType": "image/png", "buffer": PNG},
    }
    reporter = act("officer.sector29", "submit_report", "पते और संदर्भों का सत्यापन किया गया।", report)
    assert "Lives at the address; nothing adverse on record" in reporter.page.inner_text("main")
    sho = act("sho.sector29", "approve")
    sho.check("44-admin-request-approved")
    assert "Verified" in sho.page.inner_text("main")

    status = citizen.open(f"/my/requests/{number}")
    assert "सत्यापित" in status.inner_text("main")
    assert "पते और संदर्भों का सत्यापन किया गया।" in status.inner_text("main")
    citizen.check("45-request-verified-hi")

    public = tab_factory()
    public.open(f"/track?number={number}")
    assert "Verified" in public.page.inner_text("main") and "रोहित" not in public.page.inner_text(
        "main"
    )
    public.check("46-track-public")

    # The certificate: downloaded by the citizen, its QR address opens a page that says it is
    # genuine; a tampered copy uploaded for checking is not recognised.
    with status.expect_download() as download:
        status.click("a[href$='.pdf'][href*='/documents/']")
    certificate = Path(download.value.path()).read_bytes()
    assert certificate.startswith(b"%PDF")
    code = status.inner_text("a.verification-code")
    verify = tab_factory()
    page = verify.open(f"/verify/{code}")
    assert "Genuine and current" in page.inner_text("main")
    verify.check("47-certificate-genuine")
    page = verify.open("/verify")
    page.set_input_files(
        "#file",
        files=[{"name": "c.pdf", "mimeType": "application/pdf", "buffer": certificate + b"\n%x"}],
    )
    page.click("form[enctype] button[type=submit]")
    page.wait_for_load_state()
    assert "Not recognised" in page.inner_text("main")
    verify.check("48-certificate-tampered")

    # Next year's verification of the same tenant: filed again from this one's answers, with
    # the photo and the ID proof given afresh.
    status = citizen.open(f"/my/requests/{number}")
    status.click(f"a[href$='again={number}']")
    status.wait_for_load_state()
    assert status.input_value("#tenant_name") == "रोहित कुमार"
    assert status.input_value("#property_pincode") == "122009"
    assert status.eval_on_selector("#tenant_photo", "e => e.files.length") == 0
    citizen.check("49-apply-again-hi")
    _attach_tenant_files(status)
    status.click("form.stack button[type=submit]")
    status.wait_for_load_state()
    status.click("form.stack .actions button.button >> nth=0")
    status.wait_for_load_state()
    again = re.search(r"HR-TEN-\d{4}-\d{6}-[0-9A-Z*]", status.inner_text("main")).group(0)
    assert again != number


def test_a_request_left_past_its_limit_shows_as_escalated(tab_factory):
    """The demo's untouched 12-day-old tenant verification (seeded by `flask seed`) is escalated
    by beat's first sweep: the citizen sees it on the list and the request page, in Hindi too,
    and the district supervisor finds it on the supervision page."""
    citizen = tab_factory(viewport={"width": 390, "height": 844})
    citizen.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    page = citizen.open("/my/requests")
    page.click("form.language-switch button[value=en]")  # an earlier journey chose Hindi
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Escalated to the")
    row.first.wait_for(timeout=5000)
    citizen.check("49-my-requests-escalated")
    row.first.locator("a").click()
    page.wait_for_load_state()
    assert "Not decided within the time limit; escalated on" in page.inner_text("main")
    page.click("form.language-switch button[value=hi]")
    page.wait_for_load_state()
    assert "समय-सीमा में निर्णय नहीं" in page.inner_text("main")
    citizen.check("49-request-escalated-hi")

    acp = tab_factory()
    acp.csrf_form_login(DEMO["acp.gurugram"]["email"], DEMO["acp.gurugram"]["password"])
    supervision = acp.open("/admin/supervision/")
    assert "HR-TEN-" in supervision.locator("main").inner_text()
    acp.check("49-admin-supervision-escalated")
