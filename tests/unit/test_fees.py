"""Fees as data: checked in the definition, fixed at submission (exemptions included), shown to
the citizen, and a step that waits until an officer records the payment or the gateway does."""

import copy
from datetime import timedelta

import pytest

from app.models import AuditEvent, ServiceRequest
from app.services import catalogue, fees, workflow
from tests.helpers.clock import MONDAY, act, submit_at, user

YOUNG = "1995-06-01"  # owes the fee; the seeded data's 1950 birth date is a senior citizen's


def _definition():
    return catalogue.load_file("seed/service_types/character_certificate.yaml")


@pytest.mark.parametrize(
    "change, path",
    [
        ({"amount": 0}, "fee.amount"),
        ({"amount": "50"}, "fee.amount"),
        ({"pay_before": "pay"}, "fee.pay_before"),
        (
            {"exempt": [{"field": "age", "op": "age_at_least", "value": 60, "who": {"en": "a"}}]},
            "fee.exempt[0].field",
        ),
        ({"exempt": [{"field": "dob", "op": "older", "value": 60}]}, "fee.exempt[0].op"),
        ({"currency": "USD"}, "fee.currency"),
    ],
)
def test_a_fee_is_checked_and_each_error_names_its_place(change, path):
    definition = _definition()
    definition["fee"] = {**copy.deepcopy(definition["fee"]), **change}
    errors = catalogue.validate(definition)
    assert any(error.startswith(path) for error in errors), errors


def test_what_is_owed_is_fixed_at_submission_and_senior_citizens_owe_nothing(catalogue_seeded, app):
    with app.test_request_context():
        young = submit_at("character_certificate", MONDAY, dob=YOUNG)
        senior = submit_at("character_certificate", MONDAY, dob="1950-01-15")
        assert young.fee.amount == 50 and young.fee.outstanding
        assert senior.fee.amount == 0 and not senior.fee.outstanding
        assert senior.fee.exempt_reason["en"] == "senior citizens aged 60 or more"
        free = submit_at("grievance", MONDAY)
        assert free.fee is None


def test_the_certificate_waits_for_the_fee_until_an_officer_records_it(
    catalogue_seeded, app, client, auth
):
    with app.test_request_context():
        request = submit_at("character_certificate", MONDAY, dob=YOUNG)
        t = MONDAY + timedelta(hours=1)
        request = act(request, "accept", "officer.sector29", t)
        request = act(request, "submit_report", "officer.sector29", t, "Nothing adverse.")
        with pytest.raises(workflow.FeeUnpaid):
            act(request, "approve", "sho.sector29", t)
        with pytest.raises(fees.FeeError) as refused:
            fees.record(request, user("citizen"), "R-1", "cash")
        assert refused.value.http_status == 403
        request_id = str(request.id)

    auth.login("officer.sector29")
    page = client.get(f"/admin/requests/details/?id={request_id}").get_data(as_text=True)
    assert "₹50 due" in page and "Record the fee paid" in page
    token = auth.csrf(f"/admin/requests/details/?id={request_id}")
    missing = client.post(
        f"/admin/requests/fee/{request_id}", data={"csrf_token": token, "mode": "cash"}
    )
    assert missing.status_code == 302
    with app.app_context():
        assert ServiceRequest.objects.get(id=request_id).fee.paid_at is None
    done = client.post(
        f"/admin/requests/fee/{request_id}",
        data={"csrf_token": token, "receipt": " GGM/2026/0042 ", "mode": "upi"},
    )
    assert done.status_code == 302
    with app.test_request_context():
        request = ServiceRequest.objects.get(id=request_id)
        assert request.fee.receipt == "GGM/2026/0042" and request.fee.mode == "upi"
        assert request.fee.recorded_by.id == user("officer.sector29").id
        assert AuditEvent.objects(action="fee_paid", object_id=str(request.id)).count() == 1
        with pytest.raises(fees.FeeError):  # recorded once, never twice
            fees.record(request, user("officer.sector29"), "again", "cash")
        approved = act(request, "approve", "sho.sector29", MONDAY + timedelta(hours=2))
        assert approved.status == "certificate_issued"


def test_the_api_names_the_fee_and_refuses_the_step_with_409(catalogue_seeded, app, client):
    from conftest import DEMO

    with app.test_request_context():
        request = submit_at("character_certificate", MONDAY, dob=YOUNG)
        t = MONDAY + timedelta(hours=1)
        request = act(request, "accept", "officer.sector29", t)
        request = act(request, "submit_report", "officer.sector29", t, "Nothing adverse.")
        number = request.number
    login = client.post(
        "/login?include_auth_token",
        json={"email": DEMO["sho.sector29"]["email"], "password": DEMO["sho.sector29"]["password"]},
    )
    headers = {"Authentication-Token": login.get_json()["response"]["user"]["authentication_token"]}
    refused = client.post(
        f"/api/v1/requests/{number}/transitions", headers=headers, json={"action": "approve"}
    )
    assert refused.status_code == 409 and "fee" in refused.get_json()["errors"]
    detail = client.get(f"/api/v1/requests/{number}", headers=headers).get_json()
    assert detail["fee"]["amount"] == 50 and detail["fee"]["paid_at"] is None


def test_the_citizen_sees_the_fee_and_pays_online_through_the_gateway(
    catalogue_seeded, app, client, auth
):
    with app.test_request_context():
        number = submit_at("character_certificate", MONDAY, dob=YOUNG).number
    auth.login("citizen")
    form = client.get("/services/character_certificate/apply?state=HR").get_data(as_text=True)
    assert "₹50" in form and "senior citizens" in form
    assert "₹50" in client.get("/charter?state=HR").get_data(as_text=True)
    page = client.get(f"/my/requests/{number}").get_data(as_text=True)
    assert "₹50 to pay" in page and f"/dev/pay/{number}" in page
    token = auth.csrf(f"/dev/pay/{number}")
    assert client.post(f"/dev/pay/{number}", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        fee = ServiceRequest.objects.get(number=number).fee
        assert fee.mode == "online" and fee.receipt.startswith("DEV-") and fee.recorded_by is None
    assert client.get(f"/dev/pay/{number}").status_code == 404  # nothing left to pay
    auth.logout()
    auth.login("hotel")
    assert client.get(f"/dev/pay/{number}").status_code == 404  # only the applicant pays
