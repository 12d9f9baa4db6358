"""Transfers between police stations (services.transfers): who may, what moves, who is told."""

from datetime import timedelta

import pytest

from app.models import AuditEvent, Notification, ServiceRequest, User
from app.services import catalogue, transfers, workflow
from tests.unit.test_requests import definition, submit, token_client

from conftest import DEMO

FROM, TO = "HR-GGM-SEC29", "HR-FBD-NITK"
REASON = "The house is in NIT-1, Faridabad: the PIN code was mistyped."


def _post(app, who, path, body):
    client, headers = token_client(app, who)
    return client.post(path, headers=headers, json=body)


def _get(app, who, number):
    client, headers = token_client(app, who)
    return client.get(f"/api/v1/requests/{number}", headers=headers)


def test_an_officer_proposes_the_sho_decides_and_the_request_moves_with_its_story(
    catalogue_seeded,
):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    path = f"/api/v1/requests/{number}/transfer"

    assert _post(app, "citizen", path, {"station": TO, "reason": REASON}).status_code == 403
    # An officer of a third station (Delhi) does not see the request at all.
    assert _post(app, "officer.cp", path, {"station": TO, "reason": REASON}).status_code == 404
    refused = _post(app, "officer.sector29", path, {"station": "", "reason": " "})
    assert refused.status_code == 400
    assert set(refused.get_json()["errors"]) == {"station", "reason"}
    other_state = _post(app, "officer.sector29", path, {"station": "DL-ND-CP", "reason": REASON})
    assert other_state.get_json()["errors"] == {"station": "Choose a police station of this state."}
    unknown = _post(app, "officer.sector29", path, {"station": TO, "reason": REASON, "x": 1})
    assert unknown.status_code == 400 and set(unknown.get_json()["errors"]) == {"x"}

    proposed = _post(app, "officer.sector29", path, {"station": TO, "reason": REASON})
    assert proposed.status_code == 202
    body = proposed.get_json()
    assert body["station"] == FROM and body["transfer_proposal"]["to_station"] == TO
    assert body["transfer_proposal"]["by"] == "station_officer"
    # A second proposal while one waits is not offered.
    assert (
        _post(app, "officer.sector29", path, {"station": TO, "reason": REASON}).status_code == 403
    )
    with app.app_context():
        sho = User.objects.get(email=DEMO["sho.sector29"]["email"])
        asked = Notification.objects(recipient=sho.id, event="transfer_proposed").first()
        assert asked is not None and "NIT Kotwali" in asked.text

    decision = f"{path}/decision"
    assert _post(app, "officer.sector29", decision, {"approve": True}).status_code == 403
    assert _post(app, "sho.sector29", decision, {"approve": False}).status_code == 400  # why?
    moved = _post(app, "sho.sector29", decision, {"approve": True})
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()
    assert body["station"] == TO and body["transfer_proposal"] is None
    assert body["history"][-1]["action"] == "transfer"
    assert body["history"][-1]["remark"] == REASON

    # The sending station no longer sees it; the receiving one does, and can work it.
    assert _get(app, "officer.sector29", number).status_code == 404
    assert _get(app, "sho.sector29", number).status_code == 404
    assert _get(app, "officer.nitkotwali", number).status_code == 200
    client, headers = token_client(app, "officer.nitkotwali")
    accepted = client.post(
        f"/api/v1/requests/{number}/transitions", headers=headers, json={"action": "accept"}
    )
    assert accepted.status_code == 200, accepted.get_json()

    mine = _get(app, "citizen", number).get_json()
    assert mine["station"] == TO
    line = next(h for h in mine["history"] if h["action"] == "transfer")
    assert line["status_text"] == (
        "Transferred from Sector 29 Police Station to NIT Kotwali Police Station"
    )
    with app.app_context():
        citizen = User.objects.get(email=DEMO["citizen"]["email"])
        told = Notification.objects(recipient=citizen.id, event="transferred").first()
        assert told is not None and "NIT Kotwali" in told.text and REASON in told.text
        receiving = User.objects.get(email=DEMO["sho.nitkotwali"]["email"])
        assert Notification.objects(recipient=receiving.id, event="transferred").count() == 1
        stored = ServiceRequest.objects.get(number=number)
        assert stored.district.code == "FBD" and stored.assigned_to.email.startswith(
            "officer.nitkotwali"
        )
        audit = AuditEvent.objects(action="request.transfer").first()
        assert audit.details["from_station"] == FROM and audit.details["to_station"] == TO
        assert REASON not in str(audit.details)  # the reason may name people: not in the audit


def test_the_sho_transfers_at_once_and_the_clock_continues_unless_the_definition_restarts_it(
    catalogue_seeded, monkeypatch
):
    app = catalogue_seeded
    numbers = [submit(app, "tenant_verification").get_json()["number"] for _ in range(2)]
    with app.app_context():
        sho = User.objects.get(email=DEMO["sho.sector29"]["email"])
        first = ServiceRequest.objects.get(number=numbers[0])
        later = first.submitted_at + timedelta(days=2)
        moved = transfers.transfer(first, sho, TO, REASON, now=later)
        assert moved.station.code == TO and moved.due_at == first.due_at

        restarting = dict(definition(app, "tenant_verification"), transfer={"clock": "restart"})
        monkeypatch.setattr(transfers.service_types, "definition_of", lambda _r: restarting)
        second = ServiceRequest.objects.get(number=numbers[1])
        moved = transfers.transfer(second, sho, TO, REASON, now=later)
        assert moved.due_at > second.due_at + timedelta(days=1)


@pytest.mark.db
def test_two_decisions_at_once_one_is_refused(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    path = f"/api/v1/requests/{number}/transfer"
    assert (
        _post(app, "officer.sector29", path, {"station": TO, "reason": REASON}).status_code == 202
    )
    with app.app_context():
        sho = User.objects.get(email=DEMO["sho.sector29"]["email"])
        acp = User.objects.get(email=DEMO["acp.gurugram"]["email"])
        seen_by_both = ServiceRequest.objects.get(number=number)
        transfers.decide(seen_by_both, acp, False, "Sector 29 serves that address.")
        with pytest.raises(workflow.StaleState):
            transfers.decide(seen_by_both, sho, True)
        assert ServiceRequest.objects.get(number=number).station.code == FROM
        # The officer who proposed it is told why, not left to find the proposal gone.
        officer = User.objects.get(email=DEMO["officer.sector29"]["email"])
        [told] = Notification.objects(recipient=officer.id, event="transfer_refused")
        assert "was refused" in told.text and "Sector 29 serves that address." in told.text


def test_the_applicant_asks_for_a_transfer_and_reads_the_refusal(catalogue_seeded, auth):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    auth.login("citizen")
    client = auth.client
    page = client.get(f"/my/requests/{number}").get_data(as_text=True)
    assert "Wrong police station? Ask for a transfer" in page
    empty = client.post(
        f"/my/requests/{number}/transfer",
        data={"csrf_token": auth.csrf(f"/my/requests/{number}"), "station": TO, "reason": ""},
    )
    assert empty.status_code == 400 and "Give the reason for the transfer." in empty.get_data(
        as_text=True
    )
    asked = client.post(
        f"/my/requests/{number}/transfer",
        data={"csrf_token": auth.csrf(f"/my/requests/{number}"), "station": TO, "reason": REASON},
    )
    assert asked.status_code == 302
    page = client.get(f"/my/requests/{number}").get_data(as_text=True)
    assert "The station house officer will decide." in page
    assert "Wrong police station?" not in page

    refusal = "The address is in Sector 29; our beat officer will visit."
    decided = _post(
        app,
        "sho.sector29",
        f"/api/v1/requests/{number}/transfer/decision",
        {"approve": False, "remark": refusal},
    )
    assert decided.status_code == 200 and decided.get_json()["station"] == FROM
    history = [(h["action"], h["remark"]) for h in decided.get_json()["history"]]
    assert ("ask_transfer", REASON) in history and ("refuse_transfer", refusal) in history
    with app.app_context():
        citizen = User.objects.get(email=DEMO["citizen"]["email"])
        [told] = Notification.objects(recipient=citizen.id, event="transfer_refused")
        assert refusal in told.text and f"/my/requests/{number}" not in told.text  # in-app


def test_a_definition_names_its_transfer_rule_precisely():
    service = {"transfer": {"clock": "sometimes", "when": "always"}}
    errors = [e for e in catalogue.validate(service) if e.startswith("transfer")]
    assert sorted(errors) == [
        "transfer.clock: must be 'continue' or 'restart'",
        "transfer.when: is not a known part of a transfer rule",
    ]
