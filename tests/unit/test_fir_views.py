"""FIRs through the admin, the complainant's pages, the public status search and the API:
who sees what, 400 naming the field, a sensitive FIR never found publicly."""

import re
from datetime import UTC, datetime, timedelta

from app.models import Fir, ServiceRequest
from tests.unit.test_admin_requests import post_transition, request_id
from tests.unit.test_requests import submit


def _post(auth, path, data, token_from=None):
    return auth.client.post(path, data=dict(data, csrf_token=auth.csrf(token_from or path)))


def _complaint_under_enquiry(app, client, auth):
    number = submit(app, "complaint").get_json()["number"]
    rid = request_id(app, number)
    auth.login("sho.sector29")
    post_transition(client, auth, rid, "acknowledge")
    post_transition(client, auth, rid, "start_enquiry")
    return number


def _fir_form(**changes):
    form = {
        "station": "HR-GGM-SEC29",
        "informant_name": "Test value",
        "informant_address": "House 7, Sector 29, Gurugram",
        "category": "theft",
        "sections": ["BNS 303(2)"],
        "occurred_from": (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Sector 29 market",
        "brief": "Phone stolen.",
    }
    form.update(changes)
    return form


def test_an_officer_drafts_an_efir_from_a_complaint_and_the_complainant_signs_it(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    number = _complaint_under_enquiry(app, client, auth)
    form_page = client.get(f"/admin/firs/new?complaint={number}").get_data(as_text=True)
    assert 'value="Test value"' in form_page  # the complainant's name, carried over
    bad = _post(auth, "/admin/firs/new", _fir_form(complaint=number, sections=[], category="x"),
                f"/admin/firs/new?complaint={number}")  # fmt: skip
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'href="#sections"' in page and 'href="#category"' in page
    made = _post(auth, "/admin/firs/new", _fir_form(complaint=number),
                 f"/admin/firs/new?complaint={number}")  # fmt: skip
    assert made.status_code == 302
    with app.app_context():
        fir = Fir.objects.get(complaint=ServiceRequest.objects.get(number=number).id)
        assert fir.status == "pending_confirmation"
    auth.logout()

    auth.login("citizen")
    complaint_page = client.get(f"/my/requests/{number}").get_data(as_text=True)
    assert f"/my/firs/{fir.id}" in complaint_page and "Confirm it by" in complaint_page
    path = f"/my/firs/{fir.id}"
    unticked = _post(auth, f"{path}/confirm", {"signed_name": "Test value"}, path)
    assert unticked.status_code == 400 and 'href="#true_statement"' in unticked.get_data(True)
    wrong = _post(auth, f"{path}/confirm", {"signed_name": "X", "true_statement": "y"}, path)
    assert wrong.status_code == 400 and 'id="signed_name-error"' in wrong.get_data(True)
    signed = _post(
        auth, f"{path}/confirm", {"signed_name": "Test value", "true_statement": "y"}, path
    )
    assert signed.status_code == 302
    page = client.get(path).get_data(as_text=True)
    year = datetime.now(UTC).year
    assert f"FIR 0001/{year}" in page and "Registered" in page
    pdf = client.get(f"{path}/copy.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # The copy verifies publicly.
    with app.app_context():
        from app.models import IssuedDocument
        from app.services import documents

        document = IssuedDocument.objects.get(fir=fir.id)
    verify = client.get(f"/verify/{documents.display_code(document.code)}").get_data(True)
    assert "Genuine and current" in verify and f"0001/{year}" in verify
    auth.logout()

    # Another citizen, and another station's officer, get 404.
    auth.login("hotel")  # another applicant account
    assert client.get(path).status_code == 404
    assert client.get(f"{path}/copy.pdf").status_code == 404
    auth.logout()
    auth.login("sho.nitkotwali")
    assert client.get(f"/admin/firs/{fir.id}").status_code == 404


def test_case_progress_is_recorded_in_the_admin_and_read_by_the_complainant(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    number = _complaint_under_enquiry(app, client, auth)
    _post(
        auth, "/admin/firs/new", _fir_form(complaint=number), f"/admin/firs/new?complaint={number}"
    )
    with app.app_context():
        fir = Fir.objects.get(complaint=ServiceRequest.objects.get(number=number).id)
        from app.services import firs
        from tests.helpers.clock import user

        firs.confirm(fir, user("citizen"), "Test value")
    admin_path = f"/admin/firs/{fir.id}"
    missing = _post(auth, f"{admin_path}/progress", {"kind": "charge_sheet", "text": "Filed."},
                    admin_path)  # fmt: skip
    assert missing.status_code == 400 and 'href="#court"' in missing.get_data(True)
    for step in (
        {"kind": "investigation", "text": "Statements of two witnesses recorded."},
        {
            "kind": "charge_sheet",
            "text": "Filed.",
            "court": "JMIC Gurugram",
            "case_number": "CIS 77/2026",
        },
        {"kind": "hearing", "on": "2027-02-01T10:30", "text": "Evidence"},
        {"kind": "outcome", "outcome": "convicted", "text": "Fine of Rs 5,000."},
    ):
        assert _post(auth, f"{admin_path}/progress", step, admin_path).status_code == 302
    auth.logout()
    auth.login("citizen")
    page = client.get(f"/my/firs/{fir.id}").get_data(as_text=True)
    assert "Statements of two witnesses recorded." in page and "CIS 77/2026" in page
    assert "Convicted" in page and "Decided by the court" in page


def test_the_public_search_and_api_find_an_fir_but_never_a_sensitive_one(catalogue_seeded, client):
    app = catalogue_seeded
    with app.app_context():
        from app.models import PoliceStation
        from app.services import firs
        from tests.helpers.clock import user

        station = PoliceStation.objects.get(code="HR-GGM-SEC29")
        plain = firs.register(user("sho.sector29"), station, _fir_form())
        hidden = firs.register(user("sho.sector29"), station, _fir_form(sections=["POCSO 8"]))
    year = datetime.now(UTC).year
    found = client.get(f"/api/v1/fir-status?state=HR&station=HR-GGM-SEC29&year={year}&number=0001")
    assert found.status_code == 200
    body = found.get_json()
    assert body["number"] == plain.number and body["status_text"] == "Registered"
    assert "Test value" not in found.get_data(True) and "informant" not in body
    sensitive = client.get(
        f"/api/v1/fir-status?state=HR&station=HR-GGM-SEC29&year={year}&number={hidden.number}"
    )
    unknown = client.get(
        f"/api/v1/fir-status?state=HR&station=HR-GGM-SEC29&year={year}&number=0099"
    )
    assert sensitive.status_code == unknown.status_code == 404
    assert sensitive.get_json() == unknown.get_json()  # the same answer: nothing to learn
    bad = client.get("/api/v1/fir-status?station=HR-GGM-SEC29&year=26&number=abc")
    assert bad.status_code == 400 and set(bad.get_json()["errors"]) == {"state", "year", "number"}
    page = client.get(f"/track?search=fir&station=HR-GGM-SEC29&year={year}&number=0001")
    assert page.status_code == 200 and "Registered" in page.get_data(True)
    hidden_page = client.get(
        f"/track?search=fir&station=HR-GGM-SEC29&year={year}&number={hidden.number}"
    )
    assert hidden_page.status_code == 404
    assert "No FIR open to the public has this number." in hidden_page.get_data(True)


def test_a_zero_fir_is_transferred_and_re_registered_in_the_admin(catalogue_seeded, client, auth):
    auth.login("sho.sector29")
    made = _post(
        auth,
        "/admin/firs/new",
        _fir_form(zero="y", jurisdiction_station="HR-FBD-NITK"),
        "/admin/firs/new",
    )
    assert made.status_code == 302
    zero_path = made.headers["Location"]
    assert _post(auth, f"{zero_path}/transfer", {}, zero_path).status_code == 302
    auth.logout()
    auth.login("sho.nitkotwali")
    listing = client.get("/admin/firs/").get_data(as_text=True)
    assert "Zero FIRs transferred to your police station" in listing
    assert client.get(zero_path).status_code == 200
    again = _post(auth, f"{zero_path}/reregister", {}, zero_path)
    assert again.status_code == 302
    local = client.get(again.headers["Location"]).get_data(as_text=True)
    assert re.search(r"FIR 0001/\d{4}", local) and "Z-0001/" in local
