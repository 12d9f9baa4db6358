"""Service requests through the API and the workflow engine, for all fifteen services."""

import io
import os
from datetime import UTC, datetime

import pytest

from app.models import PoliceStation, Posting, Role, ServiceRequest, User
from app.services import catalogue, numbering, service_types, workflow
from tests.helpers.clock import report_for
from tests.helpers.service_data import PDF, PNG, api_uploader, applicant_for, valid_data

from conftest import DEMO

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.

CODES = sorted(f[:-5] for f in os.listdir(service_types.SERVICE_TYPES_DIR))
ROLE_ACTORS = {
    "station_officer": "officer.sector29",
    "sho": "sho.sector29",
    "district_supervisor": "acp.gurugram",
    "state_admin": "admin.haryana",
}


def token_client(app, who):
    client = app.test_client()
    account = DEMO[who]
    response = client.post(
        "/login?include_auth_token",
        json={"email": account["email"], "password": account["password"]},
    )
    token = response.get_json()["response"]["user"]["authentication_token"]
    return client, {"Authentication-Token": token}


def definition(app, code):
    with app.app_context():
        return catalogue.load_file(os.path.join(service_types.SERVICE_TYPES_DIR, f"{code}.yaml"))


def submit(app, code, who=None, **changes):
    who = who or applicant_for(definition(app, code))
    client, headers = token_client(app, who)
    data = valid_data(definition(app, code), api_uploader(client, headers))
    data.update(changes)
    body = {"service": code, "data": data}
    if definition(app, code)["routing"]["by"] == "applicant_choice":
        body["station"] = "HR-GGM-SEC29"
    return client.post("/api/v1/requests", headers=headers, json=body)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.db
def test_every_service_can_be_submitted_through_the_api(catalogue_seeded, code):
    response = submit(catalogue_seeded, code)
    body = response.get_json()
    assert response.status_code == 201, body
    assert numbering.is_valid(body["number"]) and body["station"] == "HR-GGM-SEC29"
    service = definition(catalogue_seeded, code)
    assert body["status"] == service["workflow"]["initial"]
    assert (body["due_at"] is None) == bool(service.get("instant"))
    with catalogue_seeded.app_context():
        stored = ServiceRequest.objects.get(number=body["number"])
        assert stored.is_open is (not service.get("instant"))


REPORT = {"visited_on": "2026-11-30", "finding": "verified", "records_checked": True}


def _actors_for(transition):
    names = set()
    for role in transition["roles"]:
        if role in ROLE_ACTORS:
            names.add(ROLE_ACTORS[role])
    return names


def _load(app, who):
    user = User.objects.get(email=DEMO[who]["email"])
    user._scope_cache = None
    return user


@pytest.mark.parametrize("code", [c for c in CODES if c not in ("lost_article", "c_form")])
def test_every_transition_on_the_way_is_refused_to_the_wrong_roles(catalogue_seeded, code):
    """Walk the workflow to a final state; at each step every other role is refused."""
    app = catalogue_seeded
    number = submit(app, code).get_json()["number"]
    service = definition(app, code)
    applicant = applicant_for(service)
    pool = [applicant, "officer.sector29", "sho.sector29", "acp.gurugram", "admin.haryana",
            "officer.nitkotwali", "sho.nitkotwali", "auditor.haryana", "admin.delhi"]  # fmt: skip
    with app.test_request_context():
        visited = set()
        while True:
            request = ServiceRequest.objects.get(number=number)
            info = catalogue.state_info(service, request.status)
            if info.get("final"):
                break
            visited.add(request.status)
            options = catalogue.transitions_from(service, request.status)
            for transition in options:
                allowed = _actors_for(transition)
                if set(transition["roles"]) & {"citizen", "organisation"}:
                    allowed.add(applicant)
                for who in pool:
                    if who in allowed and not transition.get("via"):
                        continue  # a `via` step is refused to everyone but its module
                    with pytest.raises(workflow.WorkflowError):
                        workflow.apply_transition(
                            request, transition["action"], _load(app, who), "Remark"
                        )
            forward = [
                t
                for t in options
                if t["action"] != "withdraw" and t["to"] not in visited and not t.get("via")
            ]
            step = forward[0] if forward else options[0]
            actor = (
                applicant
                if set(step["roles"]) & {"citizen", "organisation"}
                else ROLE_ACTORS[[r for r in step["roles"] if r in ROLE_ACTORS][0]]
            )
            workflow.apply_transition(
                request,
                step["action"],
                _load(app, actor),
                "Done as required",
                report=report_for(request, step["action"], datetime.now(UTC)),
            )
        request = ServiceRequest.objects.get(number=number)
        assert request.closed_at is not None and request.is_open is False
        assert [h.to_state for h in request.history][-1] == request.status
        assert request.version == len(request.history)


def test_officer_and_sho_take_a_tenant_verification_to_verified(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    officer, officer_headers = token_client(app, "officer.sector29")
    sho, sho_headers = token_client(app, "sho.sector29")
    steps = [
        (officer, officer_headers, "accept", "", 200),
        (officer, officer_headers, "submit_report", "", 400),  # remark required
        # The report's own fields are required too, and named when missing or wrong.
        (officer, officer_headers, "submit_report", "Verified at the address.", 400),
        (officer, officer_headers, "submit_report", "Verified at the address.", 200),
        (officer, officer_headers, "approve", "", 403),  # only the SHO approves
        (sho, sho_headers, "approve", "", 200),
    ]
    reports = {2: {"finding": "maybe", "visited_on": "2999-01-01"}, 3: REPORT}
    for index, (client, headers, action, remark, status) in enumerate(steps):
        body = {"action": action, "remark": remark}
        if index in reports:
            body["report"] = reports[index]
        response = client.post(f"/api/v1/requests/{number}/transitions", headers=headers, json=body)
        assert response.status_code == status, (action, response.get_json())
        if index == 2:
            assert set(response.get_json()["errors"]) == {"report_finding", "report_visited_on"}
    officer_view = officer.get(f"/api/v1/requests/{number}", headers=officer_headers).get_json()
    assert officer_view["history"][2]["report"]["finding"] == "verified"
    citizen, headers = token_client(app, "citizen")
    detail = citizen.get(f"/api/v1/requests/{number}", headers=headers).get_json()
    assert detail["status"] == "verified" and detail["actions"] == []
    assert [h["to"] for h in detail["history"]] == [
        "submitted",
        "under_verification",
        "report_submitted",
        "verified",
    ]
    assert detail["history"][2]["remark"] == "Verified at the address."
    assert "notes" not in detail and "report" not in detail["history"][2]  # officers' only


def test_self_approval_is_forbidden(catalogue_seeded):
    """An officer holding both roles may not approve the report they submitted."""
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    with app.test_request_context():
        both = _load(app, "officer.sector29")
        Posting(
            user=both,
            role=Role.objects.get(name="sho"),
            station=PoliceStation.objects.get(code="HR-GGM-SEC29"),
        ).save()
        from app.services import accounts

        accounts.sync_roles(both)
        both = _load(app, "officer.sector29")
        request = ServiceRequest.objects.get(number=number)
        request = workflow.apply_transition(request, "accept", both)
        request = workflow.apply_transition(request, "submit_report", both, "Report", report=REPORT)
        with pytest.raises(workflow.SelfApprovalForbidden):
            workflow.apply_transition(request, "approve", both)
        assert "approve" not in [t["action"] for t, _ in workflow.available_actions(request, both)]
        assert (
            workflow.apply_transition(request, "approve", _load(app, "sho.sector29")).status
            == "verified"
        )


@pytest.mark.db
def test_two_officers_acting_at_once_one_wins_the_other_gets_409(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    with app.test_request_context():
        seen_by_officer = ServiceRequest.objects.get(number=number)
        seen_by_sho = ServiceRequest.objects.get(number=number)
        workflow.apply_transition(seen_by_officer, "accept", _load(app, "officer.sector29"))
        with pytest.raises(workflow.StaleState):
            workflow.apply_transition(seen_by_sho, "accept", _load(app, "sho.sector29"))
        assert ServiceRequest.objects.get(number=number).version == 2


@pytest.mark.db
def test_a_stale_version_from_the_client_is_409(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    officer, officer_headers = token_client(app, "officer.sector29")
    sho, sho_headers = token_client(app, "sho.sector29")
    url = f"/api/v1/requests/{number}/transitions"
    assert (
        officer.post(
            url, headers=officer_headers, json={"action": "accept", "version": 1}
        ).status_code
        == 200
    )
    assert (
        sho.post(url, headers=sho_headers, json={"action": "accept", "version": 1}).status_code
        == 409
    )
    assert (
        sho.post(url, headers=sho_headers, json={"action": "accept", "version": "1"}).status_code
        == 400
    )


@pytest.mark.parametrize("who", ["officer.nitkotwali", "sho.nitkotwali", "admin.delhi", "hotel"])
def test_others_get_404(catalogue_seeded, who):
    number = submit(catalogue_seeded, "tenant_verification").get_json()["number"]
    client, headers = token_client(catalogue_seeded, who)
    assert client.get(f"/api/v1/requests/{number}", headers=headers).status_code == 404
    response = client.post(
        f"/api/v1/requests/{number}/transitions", headers=headers, json={"action": "accept"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "who", ["officer.sector29", "acp.gurugram", "admin.haryana", "auditor.haryana"]
)
def test_the_right_jurisdictions_see_the_request(catalogue_seeded, who):
    number = submit(catalogue_seeded, "tenant_verification").get_json()["number"]
    client, headers = token_client(catalogue_seeded, who)
    assert client.get(f"/api/v1/requests/{number}", headers=headers).status_code == 200
    listed = client.get("/api/v1/requests", headers=headers).get_json()["items"]
    assert [r["number"] for r in listed] == [number]


@pytest.mark.db
def test_idempotency_key(catalogue_seeded):
    app = catalogue_seeded
    client, headers = token_client(app, "citizen")
    data = valid_data(definition(app, "grievance"), api_uploader(client, headers))
    body = {"service": "grievance", "station": "HR-GGM-SEC29", "data": data}
    keyed = dict(headers, **{"Idempotency-Key": "abc-123"})
    first = client.post("/api/v1/requests", headers=keyed, json=body)
    again = client.post("/api/v1/requests", headers=keyed, json=body)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["number"] == again.get_json()["number"]
    changed = client.post(
        "/api/v1/requests", headers=keyed, json=dict(body, data=dict(data, description="Other"))
    )
    assert changed.status_code == 422
    with app.app_context():
        assert ServiceRequest.objects.count() == 1


def test_organisation_only_service_is_403_for_a_citizen(catalogue_seeded):
    response = submit(catalogue_seeded, "c_form", who="citizen")
    assert response.status_code == 403


def test_pending_organisation_cannot_apply(catalogue_seeded):
    assert submit(catalogue_seeded, "c_form", who="agency").status_code == 403


def test_late_c_form_is_flagged(catalogue_seeded):
    from datetime import datetime, timedelta

    from app.services.forms import IST

    arrived = (datetime.now(IST) - timedelta(hours=30)).replace(microsecond=0).isoformat()
    assert submit(catalogue_seeded, "c_form", arrived_at=arrived).get_json()["late"] is True
    arrived = (datetime.now(IST) - timedelta(hours=13)).replace(microsecond=0).isoformat()
    assert submit(catalogue_seeded, "c_form", arrived_at=arrived).get_json()["late"] is False
    assert (
        submit(catalogue_seeded, "c_form", arrived_at=arrived, nationality="PK").get_json()["late"]
        is True
    )


def test_lost_article_is_final_at_once(catalogue_seeded):
    body = submit(catalogue_seeded, "lost_article").get_json()
    assert body["status"] == "reported" and body["due_at"] is None


@pytest.mark.db
def test_bad_input_is_400_naming_the_field_and_saves_nothing(catalogue_seeded):
    app = catalogue_seeded
    response = submit(
        app, "tenant_verification", tenant_name={"$ne": ""}, owner_mobile={"$gt": 0}, rent=5
    )
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"tenant_name", "owner_mobile", "rent"}
    for bad_body in (
        [],
        "x",
        {"service": {"$ne": 1}, "data": {}},
        {"service": "tenant_verification", "data": []},
    ):
        client, headers = token_client(app, "citizen")
        assert client.post("/api/v1/requests", headers=headers, json=bad_body).status_code == 400
    with app.app_context():
        assert ServiceRequest.objects.count() == 0


def test_pincode_without_a_station_is_a_field_error(catalogue_seeded):
    response = submit(catalogue_seeded, "tenant_verification", property_pincode="999999")
    assert response.get_json()["errors"] == {
        "property_pincode": "No police station on this portal serves this PIN code."
    }


@pytest.mark.parametrize(
    "content, name",
    [(b"#!/bin/sh\nrm -rf /\n", "script.pdf"), (b"", "empty.pdf"), (b"%PDF" + b"0" * (6 * 1024 * 1024), "huge.pdf"),
     (b"<html><script>alert(1)</script>", "page.png")],
)  # fmt: skip
def test_bad_uploads_are_refused(catalogue_seeded, content, name):
    client, headers = token_client(catalogue_seeded, "citizen")
    response = client.post(
        "/api/v1/uploads", headers=headers, data={"file": (io.BytesIO(content), name)}
    )
    assert response.status_code in (400, 413)


def test_upload_of_the_wrong_kind_or_owner_is_a_field_error(catalogue_seeded):
    app = catalogue_seeded
    other, other_headers = token_client(app, "hotel")
    foreign = other.post(
        "/api/v1/uploads", headers=other_headers, data={"file": (io.BytesIO(PNG), "a.png")}
    )
    client, headers = token_client(app, "citizen")
    pdf = client.post("/api/v1/uploads", headers=headers, data={"file": (io.BytesIO(PDF), "a.pdf")})
    response = submit(
        app,
        "tenant_verification",
        tenant_photo=pdf.get_json()["id"],
        tenant_id_proof=foreign.get_json()["id"],
    )
    assert set(response.get_json()["errors"]) == {"tenant_photo", "tenant_id_proof"}


@pytest.mark.db
def test_public_status_shows_no_personal_data(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    body = app.test_client().get(f"/api/v1/status/{number}").get_json()
    assert body["status_text"] == "Received at the police station"
    text = str(body)
    for personal in ("Test value", "9876543210", "Asha", "applicant", "122009"):
        assert personal not in text
    client = app.test_client()
    assert (
        client.get(f"/api/v1/status/{number[:-1]}{'A' if number[-1] != 'A' else 'B'}").status_code
        == 400
    )
    body = "HR-TEN-2026-999999"
    assert client.get(f"/api/v1/status/{body}-{numbering.check_character(body)}").status_code == 404
    hindi = client.get(f"/api/v1/status/{number}", headers={"Accept-Language": "hi"}).get_json()
    assert hindi["status_text"] == "पुलिस थाने में प्राप्त"


@pytest.mark.db
def test_applicant_edits_while_submitted_and_each_version_is_kept(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "grievance").get_json()["number"]
    client, headers = token_client(app, "citizen")
    detail = client.get(f"/api/v1/requests/{number}", headers=headers).get_json()
    assert detail["editable"] is True
    data = dict(detail["data"], description="Corrected description")
    assert (
        client.put(
            f"/api/v1/requests/{number}/data", headers=headers, json={"data": data}
        ).status_code
        == 200
    )
    with app.app_context():
        request = ServiceRequest.objects.get(number=number)
        assert request.data["description"] == "Corrected description"
        assert request.previous_data[0].data["description"] != "Corrected description"
    sho, sho_headers = token_client(app, "sho.sector29")
    sho.post(
        f"/api/v1/requests/{number}/transitions", headers=sho_headers, json={"action": "take_up"}
    )
    assert (
        client.put(
            f"/api/v1/requests/{number}/data", headers=headers, json={"data": data}
        ).status_code
        == 403
    )


def test_withdraw_by_the_applicant(catalogue_seeded):
    number = submit(catalogue_seeded, "complaint").get_json()["number"]
    client, headers = token_client(catalogue_seeded, "citizen")
    response = client.post(
        f"/api/v1/requests/{number}/transitions", headers=headers, json={"action": "withdraw"}
    )
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"


@pytest.mark.db
def test_list_pages_with_a_cursor(catalogue_seeded):
    numbers = [submit(catalogue_seeded, "grievance").get_json()["number"] for _ in range(3)]
    client, headers = token_client(catalogue_seeded, "citizen")
    first = client.get("/api/v1/requests?limit=2", headers=headers).get_json()
    second = client.get(
        f"/api/v1/requests?limit=2&cursor={first['next_cursor']}", headers=headers
    ).get_json()
    seen = [r["number"] for r in first["items"] + second["items"]]
    assert seen == list(reversed(numbers)) and second["next_cursor"] is None
    assert client.get("/api/v1/requests?cursor={'$gt':''}", headers=headers).status_code == 400


def test_api_requires_authentication(catalogue_seeded):
    client = catalogue_seeded.test_client()
    assert client.get("/api/v1/requests").status_code == 401
    assert client.post("/api/v1/requests", json={}).status_code == 401
    assert client.get("/api/v1/services").status_code == 200


@pytest.mark.db
def test_a_refused_submission_frees_its_idempotency_key(catalogue_seeded):
    app = catalogue_seeded
    client, headers = token_client(app, "citizen")
    data = valid_data(definition(app, "grievance"), api_uploader(client, headers))
    keyed = dict(headers, **{"Idempotency-Key": "retry-1"})
    bad = {"service": "grievance", "station": "HR-GGM-SEC29", "data": dict(data, mobile="1")}
    assert client.post("/api/v1/requests", headers=keyed, json=bad).status_code == 400
    good = {"service": "grievance", "station": "HR-GGM-SEC29", "data": data}
    assert client.post("/api/v1/requests", headers=keyed, json=good).status_code == 201


@pytest.mark.db
def test_simultaneous_calls_with_one_new_key_make_one_request(catalogue_seeded):
    from app.services import claims
    from app.services.requests import idempotency_key_of

    app = catalogue_seeded
    client, headers = token_client(app, "citizen")
    data = valid_data(definition(app, "grievance"), api_uploader(client, headers))
    body = {"service": "grievance", "station": "HR-GGM-SEC29", "data": data}
    with app.app_context():
        from app.models import User

        citizen = User.objects.get(email="citizen@demo.police.example")
        assert claims.take(idempotency_key_of(citizen, "busy-key"))  # another call is under way
    response = client.post(
        "/api/v1/requests", headers=dict(headers, **{"Idempotency-Key": "busy-key"}), json=body
    )
    assert response.status_code == 409
    with app.app_context():
        assert ServiceRequest.objects.count() == 0


def test_an_eligibility_refusal_through_the_api_is_worded_in_the_callers_language(
    catalogue_seeded,
):
    """The view passes the language to the service, which words the definition's own message."""
    app = catalogue_seeded
    client, headers = token_client(app, applicant_for(definition(app, "arms_licence")))
    data = valid_data(definition(app, "arms_licence"), api_uploader(client, headers))
    data["dob"] = "2012-01-01"
    body = {"service": "arms_licence", "data": data}
    who = applicant_for(definition(app, "arms_licence"))
    for language, opening in (("hi", "शस्त्र लाइसेंस"), ("en", "An arms licence needs")):
        with app.app_context():  # the account's saved language is the one its answers use
            User.objects(email=DEMO[who]["email"]).update(set__language=language)
        response = client.post("/api/v1/requests", headers=headers, json=body)
        assert response.status_code == 400
        errors = response.get_json()["errors"]
        assert set(errors) == {"dob"} and errors["dob"].startswith(opening), errors
