"""The citizen's pages: catalogue, generated form with a review step, acknowledgement, tracking."""

import io
import re

import pytest

from app.models import ServiceRequest
from app.views.filters import local_datetime
from tests.helpers.service_data import PDF, PNG


@pytest.fixture
def citizen(catalogue_seeded, client, auth):
    auth.login("citizen")
    return client


def tenant_form(auth):
    return {
        "owner_name": "Asha Verma", "owner_mobile": "9810000001",
        "property_address": "H.No. 12, Sector 29, Gurugram", "property_pincode": "122009",
        "tenant_name": "रोहित कुमार", "tenant_father_name": "Suresh Kumar", "tenant_dob": "1994-05-10",
        "tenant_mobile": "9812345678", "tenant_permanent_address": "Village Kheri, Jind",
        "tenant_occupation": "salaried", "family_members": "2", "reference_1": "Anil, 9811111111",
        "tenancy_start": "2026-11-01", "csrf_token": auth.csrf("/services/tenant_verification/apply"),
    }  # fmt: skip


def test_catalogue_lists_all_fifteen_services_in_both_languages(citizen):
    page = citizen.get("/services").get_data(as_text=True)
    assert page.count('class="card-title"') == 15 and "7 working days" in page
    citizen.post(
        "/language",
        data={
            "language": "hi",
            "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1),
        },
    )
    hindi = citizen.get("/services").get_data(as_text=True)
    assert "किरायेदार / पेइंग गेस्ट सत्यापन" in hindi and "7 कार्य दिवस" in hindi


def test_apply_review_submit_acknowledge(citizen, auth, app):
    form = tenant_form(auth)
    form["tenant_photo"] = (io.BytesIO(PNG), "photo.png")
    form["tenant_id_proof"] = (io.BytesIO(PDF), "id.pdf")
    review = citizen.post(
        "/services/tenant_verification/apply", data=form, content_type="multipart/form-data"
    )
    page = review.get_data(as_text=True)
    assert review.status_code == 200 and "Check your answers" in page and "रोहित कुमार" in page
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert len(hidden["tenant_photo__upload"]) == 32
    with app.app_context():
        assert ServiceRequest.objects.count() == 0  # nothing saved before the confirmation
    confirm = citizen.post("/services/tenant_verification/apply", data=hidden)
    assert confirm.status_code == 302
    ack = citizen.get(confirm.headers["Location"]).get_data(as_text=True)
    number = re.search(r"HR-TEN-\d{4}-\d{6}-[0-9A-Z*]", ack).group(0)
    assert "Your request has been received" in ack and "Received at the police station" in ack
    # What happens next, with the dates: the deadline, who gets it after, the certificate.
    assert '<li aria-current="step" class="current">3. Acknowledgement</li>' in ack
    with app.test_request_context():
        request = ServiceRequest.objects.get(number=number)
        due = local_datetime(request.due_at)
    assert f"The decision is due by {due}." in ack
    assert "goes by itself to the district supervising officer" in ack
    assert "the certificate or letter appears on this page" in ack
    with app.app_context():
        assert request.data["tenant_name"] == "रोहित कुमार" and len(request.attachments) == 2
    assert number in citizen.get("/my/requests").get_data(as_text=True)
    tracked = citizen.get(f"/track?number={number}").get_data(as_text=True)
    assert "Received at the police station" in tracked and "रोहित" not in tracked


def test_form_errors_name_fields_and_keep_values(citizen, auth):
    form = dict(tenant_form(auth), owner_mobile="12345", tenant_occupation="hired_killer")
    response = citizen.post("/services/tenant_verification/apply", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#owner_mobile"' in page and 'id="owner_mobile-error"' in page
    assert 'href="#tenant_occupation"' in page and 'href="#tenant_photo"' in page
    assert 'value="Asha Verma"' in page


def test_script_renamed_to_pdf_is_refused_on_the_form(citizen, auth):
    form = tenant_form(auth)
    form["tenant_photo"] = (io.BytesIO(PNG), "photo.png")
    form["tenant_id_proof"] = (io.BytesIO(b"#!/bin/sh\necho pwned\n"), "id.pdf")
    page = citizen.post(
        "/services/tenant_verification/apply", data=form, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert 'id="tenant_id_proof-error"' in page and "Only PDF, JPEG and PNG" in page


def test_withdraw_from_my_request_page(citizen, app):
    from tests.unit.test_requests import submit

    number = submit(app, "complaint").get_json()["number"]
    page = citizen.get(f"/my/requests/{number}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = citizen.post(
        f"/my/requests/{number}/actions",
        data={"action": "withdraw", "version": "1", "csrf_token": token},
    )
    assert response.status_code == 302
    assert "Withdrawn by you" in citizen.get(f"/my/requests/{number}").get_data(as_text=True)


def test_another_citizens_request_is_404(catalogue_seeded, client, auth, app):
    from tests.unit.test_requests import submit

    number = submit(app, "grievance", who="hotel").get_json()["number"]
    auth.login("citizen")
    assert client.get(f"/my/requests/{number}").status_code == 404
    assert client.get("/my/requests/not-a-number").status_code == 404


def test_track_page_answers_400_404_and_200(catalogue_seeded, client):
    from app.services.numbering import check_character

    assert client.get("/track?number=HR-TEN-2026-000001-%3F").status_code == 400
    body = "HR-TEN-2026-000777"
    assert client.get(f"/track?number={body}-{check_character(body)}").status_code == 404
    assert client.get("/track").status_code == 200


def test_charter_names_the_officers_of_the_chosen_station(catalogue_seeded, client):
    page = client.get("/charter?state=HR&station=HR-GGM-SEC29").get_data(as_text=True)
    assert "Inspector (SHO)" in page and "0124-2222929" in page
    assert "Assistant Commissioner of Police" in page and "State Administrator" in page
    assert page.count("<tr>") >= 15


def test_organisation_only_service_form_turns_a_citizen_away(citizen):
    response = citizen.get("/services/c_form/apply")
    assert response.status_code == 302


def test_applicant_changes_answers_on_the_html_form_and_the_old_version_is_kept(citizen, app):
    from tests.unit.test_requests import submit

    number = submit(app, "tenant_verification").get_json()["number"]
    page = citizen.get(f"/my/requests/{number}/edit").get_data(as_text=True)
    assert 'name="tenant_photo__upload"' in page and "Save changes" in page
    fields = dict(re.findall(r'<input id="([a-z_0-9]+)" name="\1"[^>]*value="([^"]*)"', page))
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data = {**fields, **hidden}
    data.update(
        tenant_name="Rohit Kumar Sharma",
        property_address="H.No. 12, Sector 29",
        tenant_permanent_address="Jind",
        tenant_occupation="salaried",
    )
    response = citizen.post(f"/my/requests/{number}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        request = ServiceRequest.objects.get(number=number)
        assert request.data["tenant_name"] == "Rohit Kumar Sharma"
        assert request.previous_data[0].data["tenant_name"] == "Test value"
        assert len(request.attachments) == 2 and request.data.get("tenant_aadhaar", {}).get(
            "masked"
        )


def test_acknowledgement_pdf_is_bilingual_with_a_qr_code_to_the_status_page(citizen, app):
    from app.services import pdf
    from tests.unit.test_requests import submit

    number = submit(app, "lost_article").get_json()["number"]
    response = citizen.get(f"/my/requests/{number}/acknowledgement.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-") and response.data.rstrip().endswith(b"%%EOF")
    with app.test_request_context():
        request = ServiceRequest.objects.get(number=number)
        html = pdf.acknowledgement_html(request, f"http://localhost/track?number={number}")
    assert number in html and "पावती" in html and "data:image/svg+xml;base64," in html
    assert "cannot be used in civil or criminal cases" in html  # the lost-article disclaimer
    assert "9876543210" not in html  # no phone numbers on the slip


def test_someone_elses_acknowledgement_is_404(catalogue_seeded, client, auth, app):
    from tests.unit.test_requests import submit

    number = submit(app, "grievance", who="hotel").get_json()["number"]
    auth.login("citizen")
    assert client.get(f"/my/requests/{number}/acknowledgement.pdf").status_code == 404


SERVICES_DIR = __import__("app.services.service_types", fromlist=["x"]).SERVICE_TYPES_DIR


@pytest.mark.parametrize("code", sorted(f[:-5] for f in __import__("os").listdir(SERVICES_DIR)))
def test_every_service_can_be_applied_for_through_its_html_form(
    catalogue_seeded, client, auth, code
):
    """Fill the generated form from the definition, review, confirm: a numbered acknowledgement."""
    from app.services import catalogue as catalogue_service
    from tests.helpers.service_data import BY_MIME, applicant_for, value_for

    app = catalogue_seeded
    with app.app_context():
        definition = catalogue_service.load_file(f"{SERVICES_DIR}/{code}.yaml")
    auth.login(applicant_for(definition))
    path = f"/services/{code}/apply"
    page = client.get(path)
    assert page.status_code == 200
    form = {"csrf_token": auth.csrf(path)}
    if definition["routing"]["by"] == "applicant_choice":
        form["station"] = "HR-GGM-SEC29"
    for spec in definition["fields"]:
        if spec["type"] == "file":
            form[spec["name"]] = (io.BytesIO(BY_MIME[spec["accept"][0]]), "document")
            continue
        value = value_for(spec, upload=None)
        if spec["type"] == "boolean":
            if value:
                form[spec["name"]] = "y"
        elif spec["type"] == "datetime":
            form[spec["name"]] = value[:16]  # what a datetime-local input sends
        else:
            form[spec["name"]] = value
    review = client.post(path, data=form, content_type="multipart/form-data")
    page = review.get_data(as_text=True)
    assert "field-error" not in page, re.findall(r'field-error" id="([^"]+)"', page)
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    from werkzeug.datastructures import MultiDict

    confirm = client.post(path, data=MultiDict(hidden))
    assert confirm.status_code == 302, confirm.get_data(as_text=True)[-1500:]
    number = confirm.headers["Location"].split("/")[3].split("?")[0]
    with app.app_context():
        request = ServiceRequest.objects.get(number=number)
        assert request.service == code and request.station.code == "HR-GGM-SEC29"
