"""Officers work requests in the admin: scoped lists, detail, transitions, notes, files, queue."""

import io
import re

import pytest

from app.models import ServiceRequest
from tests.unit.test_portal_services import PNG
from tests.unit.test_requests import submit

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.


def request_id(app, number):
    with app.app_context():
        return str(ServiceRequest.objects.get(number=number).id)


def post_transition(client, auth, rid, action, remark="", version=None, report=None):
    page = client.get(f"/admin/requests/details/?id={rid}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    if version is None:
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
    data = {"action": action, "remark": remark, "version": version, "csrf_token": token}
    data.update({f"report_{name}": value for name, value in (report or {}).items()})
    return client.post(
        f"/admin/requests/transition/{rid}", data=data, content_type="multipart/form-data"
    )


def test_officer_and_sho_take_a_request_to_a_final_state_in_the_admin(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    rid = request_id(app, number)
    auth.login("officer.sector29")
    assert post_transition(client, auth, rid, "accept").status_code == 302
    page = client.get(f"/admin/requests/details/?id={rid}").get_data(as_text=True)
    assert 'id="report_visited_on"' in page and 'capture="environment"' in page
    # The report is not written: the step is refused, naming the missing findings.
    post_transition(client, auth, rid, "submit_report", "Address and references verified.")
    page = client.get(f"/admin/requests/details/?id={rid}").get_data(as_text=True)
    assert "Date of the visit: This field is required." in page
    photo = (io.BytesIO(PNG), "visit.png")
    report = {"visited_on": "2026-11-30", "finding": "verified", "visit_photo": photo}
    sent = post_transition(client, auth, rid, "submit_report", "Verified.", report=report)
    assert sent.status_code == 302
    auth.logout()
    auth.login("sho.sector29")
    page = client.get(f"/admin/requests/details/?id={rid}").get_data(as_text=True)
    assert "Approve (verified)" in page and "Verified." in page
    assert "Lives at the address; nothing adverse on record" in page  # the report, in words
    with app.app_context():
        stored = ServiceRequest.objects.get(number=number)
        assert [a.field for a in stored.attachments][-1] == "report_visit_photo"
    post_transition(client, auth, rid, "approve")
    with app.app_context():
        assert ServiceRequest.objects.get(number=number).status == "verified"


@pytest.mark.db
def test_a_stale_admin_form_is_refused(catalogue_seeded, client, auth):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    rid = request_id(app, number)
    auth.login("sho.sector29")
    post_transition(client, auth, rid, "accept", version="1")
    response = post_transition(client, auth, rid, "accept", version="1")
    assert "Someone else changed this request first" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_remark_is_required_where_the_definition_says(catalogue_seeded, client, auth):
    app = catalogue_seeded
    number = submit(app, "complaint").get_json()["number"]
    rid = request_id(app, number)
    auth.login("sho.sector29")
    post_transition(client, auth, rid, "acknowledge")
    post_transition(client, auth, rid, "start_enquiry")
    follow = post_transition(client, auth, rid, "issue_ncr")
    assert "A remark is required" in client.get(follow.headers["Location"]).get_data(as_text=True)
    # "FIR registered" is not a button: the FIR register sets it when an FIR goes on record.
    page = client.get(f"/admin/requests/details/?id={rid}").get_data(as_text=True)
    assert 'value="register_fir"' not in page and f"/admin/firs/new?complaint={number}" in page
    post_transition(client, auth, rid, "register_fir", "FIR No. 0123/2026")
    with app.app_context():
        assert ServiceRequest.objects.get(number=number).status == "under_enquiry"
    post_transition(client, auth, rid, "issue_ncr", "NCR 45/2026: a non-cognizable matter.")
    with app.app_context():
        assert ServiceRequest.objects.get(number=number).status == "ncr_issued"


@pytest.mark.parametrize("who", ["officer.nitkotwali", "sho.nitkotwali", "admin.delhi"])
def test_another_stations_officer_gets_404_in_the_admin(catalogue_seeded, client, auth, who):
    app = catalogue_seeded
    rid = request_id(app, submit(app, "tenant_verification").get_json()["number"])
    auth.login(who)
    assert client.get(f"/admin/requests/details/?id={rid}").status_code == 404
    assert client.get(f"/admin/requests/file/{rid}/tenant_photo").status_code == 404
    page = client.get("/admin/requests/").get_data(as_text=True)
    assert "HR-TEN-" not in page


def test_citizens_cannot_open_the_admin_requests(catalogue_seeded, client, auth):
    auth.login("citizen")
    assert client.get("/admin/requests/").status_code == 403
    assert client.get("/admin/queue/").status_code == 403


def test_internal_notes_stay_internal(catalogue_seeded, client, auth):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    rid = request_id(app, number)
    auth.login("sho.sector29")
    page = client.get(f"/admin/requests/details/?id={rid}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(
        f"/admin/requests/note/{rid}",
        data={"text": "Neighbour says tenant often away.", "csrf_token": token},
    )
    assert "Neighbour says tenant often away." in client.get(
        f"/admin/requests/details/?id={rid}"
    ).get_data(as_text=True)
    from tests.unit.test_requests import token_client

    citizen, headers = token_client(app, "citizen")
    assert "often away" not in citizen.get(f"/api/v1/requests/{number}", headers=headers).get_data(
        as_text=True
    )


def test_sho_assigns_an_enquiry_officer(catalogue_seeded, client, auth):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    rid = request_id(app, number)
    auth.login("sho.sector29")
    page = client.get(f"/admin/requests/details/?id={rid}").get_data(as_text=True)
    officer = re.search(r'<option value="([0-9a-f]{24})">SI Pooja Rani</option>', page).group(1)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(f"/admin/requests/assign/{rid}", data={"officer": officer, "csrf_token": token})
    with app.app_context():
        assert ServiceRequest.objects.get(number=number).assigned_to.full_name == "SI Pooja Rani"


def test_bulk_accept_goes_through_the_workflow(catalogue_seeded, client, auth):
    app = catalogue_seeded
    numbers = [submit(app, "tenant_verification").get_json()["number"] for _ in range(2)]
    complaint = submit(app, "complaint").get_json()["number"]
    auth.login("officer.sector29")
    token = auth.csrf("/admin/requests/")
    ids = [request_id(app, n) for n in numbers + [complaint]]
    client.post(
        "/admin/requests/action/", data={"action": "accept", "rowid": ids, "csrf_token": token}
    )
    with app.app_context():
        assert {ServiceRequest.objects.get(number=n).status for n in numbers} == {
            "under_verification"
        }
        assert (
            ServiceRequest.objects.get(number=complaint).status == "submitted"
        )  # no 'accept' there


@pytest.mark.db
def test_queue_lists_open_requests_by_due_date_and_the_list_filters(catalogue_seeded, client, auth):
    app = catalogue_seeded
    submit(app, "tenant_verification")
    submit(app, "complaint")
    submit(app, "lost_article")  # final at once: not in the queue
    auth.login("sho.sector29")
    page = client.get("/admin/queue/").get_data(as_text=True)
    assert page.count("HR-TEN-") == 1 and page.count("HR-CMP-") == 1 and "HR-LAR-" not in page
    assert page.index("HR-TEN-") < page.index("HR-CMP-")  # 7 working days before 15 days
    filtered = client.get("/admin/requests/?service=complaint").get_data(as_text=True)
    assert "HR-CMP-" in filtered and "HR-TEN-" not in filtered
    assert client.get("/admin/requests/?search=HR-TEN").status_code == 200


@pytest.mark.db
def test_lists_show_open_work_first_and_history_on_request(catalogue_seeded, client, auth):
    """The first page reads a station's open work only; closed requests are one click (or a
    search, or view=all in the API) away."""
    from app.services import seed, workflow
    from tests.unit.test_requests import token_client

    app = catalogue_seeded
    open_number = submit(app, "tenant_verification").get_json()["number"]
    closed_number = submit(app, "tenant_verification").get_json()["number"]
    with app.app_context():
        seed.seed_all(include_demo_users=True)
        request = ServiceRequest.objects.get(number=closed_number)
        applicant = request.applicant
        workflow.apply_transition(request, "withdraw", applicant)
        assert ServiceRequest.objects.get(number=closed_number).is_open is False
    auth.login("officer.sector29")
    default = client.get("/admin/requests/").get_data(as_text=True)
    assert open_number in default and closed_number not in default
    assert "Show closed ones too" in default
    everything = client.get("/admin/requests/?view=all").get_data(as_text=True)
    assert open_number in everything and closed_number in everything
    searched = client.get(f"/admin/requests/?search={closed_number}").get_data(as_text=True)
    assert closed_number in searched
    api, headers = token_client(app, "officer.sector29")
    numbers = [
        r["number"] for r in api.get("/api/v1/requests", headers=headers).get_json()["items"]
    ]
    assert open_number in numbers and closed_number not in numbers
    every = api.get("/api/v1/requests?view=all", headers=headers).get_json()["items"]
    assert closed_number in [r["number"] for r in every]
    assert api.get("/api/v1/requests?view=x", headers=headers).status_code == 400
