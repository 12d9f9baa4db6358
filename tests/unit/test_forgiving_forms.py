"""Forms that forgive (issue 15, first part): every error in the summary names its field, a
request number is found with or without dashes, and a step that closes a request asks first."""

import re

from tests.unit.test_portal_services import tenant_form
from tests.unit.test_requests import submit


def test_the_error_summary_names_each_field(catalogue_seeded, client, auth):
    auth.login("citizen")
    form = tenant_form(auth)
    for name in ("tenant_name", "tenant_mobile", "property_pincode"):
        form[name] = ""
    page = client.post("/services/tenant_verification/apply", data=form).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</ul>', page, re.S).group(0)
    items = re.findall(r'<li><a href="#(\w+)">([^<]+)</a></li>', summary)
    assert len(items) == 5  # the three emptied, and the two files not chosen
    assert all(
        ": This field is required." in text and not text.startswith("This") for _, text in items
    )
    for label in (
        "Tenant&#39;s full name: ",
        "Tenant&#39;s mobile: ",
        "PIN code of the property: ",
    ):
        assert label in summary, summary


def test_a_request_number_is_found_without_dashes(catalogue_seeded, client):
    number = submit(catalogue_seeded, "grievance").get_json()["number"]
    compact = number.replace("-", "").lower()
    assert client.get(f"/api/v1/status/{compact}").get_json()["number"] == number
    page = client.get(f"/track?number={compact}")
    assert page.status_code == 200 and number in page.get_data(as_text=True)


def test_withdrawing_asks_first(catalogue_seeded, client, auth):
    number = submit(catalogue_seeded, "grievance").get_json()["number"]
    auth.login("citizen")
    page = client.get(f"/my/requests/{number}").get_data(as_text=True)
    button = re.search(r'<button[^>]*data-confirm="([^"]+)"[^>]*>\s*Withdraw', page)
    assert button and "cannot be undone" in button.group(1)


def test_an_oversized_photo_is_refused_before_the_review_step(catalogue_seeded, client, auth):
    import io
    import os

    from tests.unit.test_portal_services import PDF

    auth.login("citizen")
    form = tenant_form(auth)
    from PIL import Image

    noise = Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3))  # ~480 KB as PNG
    big = io.BytesIO()
    noise.save(big, "PNG")
    big.seek(0)
    form["tenant_photo"] = (big, "big.png")  # the field takes at most 200 KB
    form["tenant_id_proof"] = (io.BytesIO(PDF), "id.pdf")
    page = client.post(
        "/services/tenant_verification/apply", data=form, content_type="multipart/form-data"
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Check your answers" not in text
    assert "Tenant&#39;s photograph: The file is larger than 200 KB." in text


def test_the_dashboard_leads_with_what_the_citizen_has_to_do(catalogue_seeded, client, auth):
    from datetime import UTC, datetime, timedelta

    from app.models import PoliceStation
    from app.services import firs
    from tests.helpers.clock import act, submit_at, user

    app = catalogue_seeded
    now = datetime.now(UTC) - timedelta(minutes=5)
    with app.app_context():
        asked = submit_at("tenant_verification", now)
        asked = act(asked, "accept", "officer.sector29", now)
        act(asked, "ask_documents", "officer.sector29", now, "Bring the rent agreement.")
        complaint = submit_at("complaint", now)
        complaint = act(complaint, "acknowledge", "officer.sector29", now)
        complaint = act(complaint, "start_enquiry", "officer.sector29", now)
        station = PoliceStation.objects.get(code="HR-GGM-SEC29")
        form = {
            "informant_name": "Asha Verma",
            "category": "theft",
            "sections": ["BNS 303(2)"],
            "occurred_from": (now - timedelta(days=1)).isoformat(),
            "place": "Market",
            "brief": "Stolen.",
        }
        firs.register(user("officer.sector29"), station, form, complaint=complaint)
    auth.login("citizen")
    page = client.get("/dashboard").get_data(as_text=True)
    todo = re.search(r'<section aria-labelledby="todo-heading".*?</section>', page, re.S).group(0)
    assert "Confirm the FIR drafted from your complaint" in todo  # first: it lapses
    assert f"{asked.number} (Tenant" in todo and "I have provided the documents" in todo
    assert todo.index("Confirm the FIR") < todo.index(asked.number)


def test_people_read_dates_as_dd_mm_yyyy_on_the_status_and_pages_print_without_forms(
    catalogue_seeded, client
):
    number = submit(catalogue_seeded, "tenant_verification").get_json()["number"]
    page = client.get(f"/track?number={number}").get_data(as_text=True)
    submitted = re.search(r"<dt>Submitted on</dt><dd>([^<]+)</dd>", page).group(1)
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", submitted)
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert "@media print" in css and "form, .button" in css


def test_a_closed_request_is_filed_again_with_its_answers(catalogue_seeded, client, auth):
    from datetime import UTC, datetime, timedelta

    from tests.helpers.clock import act, submit_at

    app = catalogue_seeded
    now = datetime.now(UTC) - timedelta(minutes=5)
    with app.app_context():
        done = submit_at("tenant_verification", now)
        done = act(done, "accept", "officer.sector29", now)
        done = act(done, "submit_report", "officer.sector29", now, "Verified.")
        done = act(done, "approve", "sho.sector29", now)
        tenant = done.data["tenant_name"]
    auth.login("citizen")
    detail = client.get(f"/my/requests/{done.number}").get_data(as_text=True)
    link = f"/services/tenant_verification/apply?again={done.number}"
    assert "Apply again with these answers" in detail and link in detail
    page = client.get(link).get_data(as_text=True)
    assert f'value="{tenant}"' in page and "attach the files again" in page
    assert "__upload" not in page  # the files are chosen again, not carried
    auth.logout()
    auth.login("hotel")  # someone else's number fills in nothing
    other = client.get(link).get_data(as_text=True)
    assert f'value="{tenant}"' not in other


def test_a_draft_is_kept_as_typed_offered_back_and_ended_by_submitting(
    catalogue_seeded, client, auth
):
    from datetime import UTC, datetime, timedelta

    from app.models import FormDraft

    app = catalogue_seeded
    auth.login("citizen")
    path = "/services/tenant_verification/apply"
    kept = client.post(
        "/services/tenant_verification/draft",
        data={
            "csrf_token": auth.csrf(path),
            "tenant_name": "रोहित कुमार",
            "tenant_aadhaar": "234567890124",
            "owner_mobile": "98100 00001",
        },
    )
    assert kept.status_code == 204
    with app.app_context():
        [draft] = FormDraft.objects
        assert draft.values == {"tenant_name": "रोहित कुमार", "owner_mobile": "98100 00001"}
    page = client.get(path).get_data(as_text=True)
    assert 'value="रोहित कुमार"' in page and "The answers you had typed are kept." in page
    assert "234567890124" not in page and "data-draft-url" in page
    discarded = client.post(
        "/services/tenant_verification/draft/discard", data={"csrf_token": auth.csrf(path)}
    )
    assert discarded.status_code == 302
    assert 'value="रोहित कुमार"' not in client.get(path).get_data(as_text=True)
    # A month-old draft is not offered; submitting a request ends the draft.
    client.post(
        "/services/tenant_verification/draft",
        data={"csrf_token": auth.csrf(path), "tenant_name": "Old"},
    )
    with app.app_context():
        FormDraft.objects.update(set__updated_at=datetime.now(UTC) - timedelta(days=31))
    assert 'value="Old"' not in client.get(path).get_data(as_text=True)
    with app.app_context():
        assert FormDraft.objects.count() == 0
    auth.logout()
    auth.login("hotel")  # not a service this account applies for: nothing is kept
    refused = client.post(
        "/services/tenant_verification/draft",
        data={"csrf_token": auth.csrf("/services"), "tenant_name": "X"},
    )
    assert refused.status_code == 403


def test_submitting_the_request_ends_its_draft(catalogue_seeded, client, auth):
    import io

    from app.models import FormDraft
    from tests.unit.test_portal_services import PDF, PNG

    app = catalogue_seeded
    auth.login("citizen")
    path = "/services/tenant_verification/apply"
    client.post(
        "/services/tenant_verification/draft",
        data={"csrf_token": auth.csrf(path), "tenant_name": "Draft"},
    )
    form = tenant_form(auth)
    form["tenant_photo"] = (io.BytesIO(PNG), "photo.png")
    form["tenant_id_proof"] = (io.BytesIO(PDF), "id.pdf")
    review = client.post(path, data=form, content_type="multipart/form-data")
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', review.text))
    assert client.post(path, data=hidden).status_code == 302
    with app.app_context():
        assert FormDraft.objects.count() == 0
