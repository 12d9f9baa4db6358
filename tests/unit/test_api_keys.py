"""API keys: issued by a state administrator and shown once, kept hashed, scoped to services and
stations, refused when revoked or unknown (403), limited per key, audited at every use, and
never written to a log."""

import logging

from app.gunicorn_logging import redact
from app.models import ApiKey, AuditEvent, ServiceRequest, User
from app.services import api_keys, catalogue, service_types
from tests.helpers.service_data import api_uploader, valid_data

from conftest import DEMO


def _issue(app, services=("c_form",), stations=()):
    with app.test_request_context():
        admin = User.objects.get(email=DEMO["admin.haryana"]["email"])
        hotel = User.objects.get(email=DEMO["hotel"]["email"])
        _record, key = api_keys.issue(
            admin, hotel.state, name="Front desk", owner=hotel, services=services, stations=stations
        )
    return key


def _c_form(client, key, **overrides):
    headers = {"X-API-Key": key}
    definition = catalogue.load_file(f"{service_types.SERVICE_TYPES_DIR}/c_form.yaml")
    data = {**valid_data(definition, api_uploader(client, headers)), **overrides}
    return client.post(
        "/api/v1/requests", headers=headers, json={"service": "c_form", "data": data}
    )


def test_an_administrator_issues_a_key_that_is_shown_once_and_kept_hashed(
    catalogue_seeded, app, client, auth
):
    auth.login("admin.haryana")
    token = auth.csrf("/admin/api_keys/")
    with app.app_context():
        hotel = User.objects.get(email=DEMO["hotel"]["email"])
    issued = client.post(
        "/admin/api_keys/issue",
        data={
            "csrf_token": token,
            "name": "Front desk",
            "owner": str(hotel.id),
            "services": ["c_form"],
        },
    )
    page = issued.get_data(as_text=True)
    assert issued.status_code == 200 and "not shown again" in page
    key = page.split('id="issued-key"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    assert key.startswith("pk_")
    assert key not in client.get("/admin/api_keys/").get_data(as_text=True)
    with app.app_context():
        record = ApiKey.objects.get(prefix=key.split("_")[1])
        assert key.split("_", 2)[2] not in str(record.to_mongo())
    assert _c_form(client.application.test_client(), key).status_code == 201


def test_the_issue_form_names_what_is_wrong(catalogue_seeded, app, client, auth):
    auth.login("admin.haryana")
    token = auth.csrf("/admin/api_keys/")
    refused = client.post("/admin/api_keys/issue", data={"csrf_token": token, "name": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    for anchor in ("#key-name", "#key-owner", "#key-services"):
        assert anchor in page


def test_officers_cannot_issue_keys(client, auth):
    auth.login("officer.sector29")
    assert client.get("/admin/api_keys/").status_code == 403


def test_a_key_files_a_c_form_as_its_organisation_and_every_use_is_audited(
    catalogue_seeded, app, client
):
    key = _issue(app)
    created = _c_form(client, key)
    assert created.status_code == 201, created.get_json()
    with app.app_context():
        request = ServiceRequest.objects.get(number=created.get_json()["number"])
        assert request.applicant.email == DEMO["hotel"]["email"]
        uses = AuditEvent.objects(action="api_key_used")
        before = uses.count()
        assert "api.create_request" in {e.details["endpoint"] for e in uses}
        assert {
            e.details["status"] for e in uses if e.details["endpoint"] == "api.create_request"
        } == {"201"}
    for _ in range(2):
        client.get("/api/v1/requests", headers={"X-API-Key": key})
    with app.app_context():
        assert AuditEvent.objects(action="api_key_used").count() == before + 2
    # No session was made: the next call without the key is anonymous.
    assert client.get("/api/v1/requests").status_code == 401


def test_a_key_files_only_its_services_at_its_stations(catalogue_seeded, app, client):
    narrow = _issue(app, services=("tenant_verification",))
    refused = _c_form(client, narrow)
    assert refused.status_code == 403 and "service" in refused.get_json()["errors"]
    elsewhere = _issue(app, stations=("HR-FBD-NITK",))
    refused = _c_form(client, elsewhere)  # its PIN code is Sector 29's
    assert refused.status_code == 403
    with app.app_context():
        assert ServiceRequest.objects(service="c_form").count() == 0


def test_a_revoked_or_unknown_key_gets_403(catalogue_seeded, app, client):
    key = _issue(app)
    with app.test_request_context():
        record = ApiKey.objects.get(prefix=key.split("_")[1])
        api_keys.revoke(record, User.objects.get(email=DEMO["admin.haryana"]["email"]))
    for bad in (key, key[:-1] + "x", "pk_unknown1_nothing", "nonsense"):
        response = client.get("/api/v1/requests", headers={"X-API-Key": bad})
        assert response.status_code == 403 and "not valid" in response.get_json()["error"]


def test_calls_are_limited_per_key(catalogue_seeded, app, client):
    app.config["API_KEY_RATE_LIMIT"] = "3 per minute"
    key, other = _issue(app), _issue(app)
    statuses = [
        client.get("/api/v1/requests", headers={"X-API-Key": key}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/api/v1/requests", headers={"X-API-Key": other}).status_code == 200


def test_the_key_is_never_logged(catalogue_seeded, app, client, caplog):
    key = _issue(app)
    with caplog.at_level(logging.DEBUG):
        _c_form(client, key)
        client.get("/api/v1/requests", headers={"X-API-Key": key + "x"})
    assert key not in caplog.text and key.split("_", 2)[2] not in caplog.text
    line = f'"GET /open311/v2/requests.json?api_key={key}&jurisdiction_id=HR HTTP/1.1"'
    assert key not in redact(line) and "jurisdiction_id=HR" in redact(line)
