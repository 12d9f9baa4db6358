"""The OpenAPI 3.1 document of /api/v1: valid, covering every route of the URL map, with a body
per live service from the catalogue, and true to what the API really answers."""

import io

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests.helpers.service_data import BY_MIME, api_uploader, valid_data

from conftest import DEMO


@pytest.fixture
def spec(catalogue_seeded, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)  # raises on any fault


def test_every_api_route_is_described(app, spec):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in spec["paths"].get(path, {}), f"{method} {path}"
    assert set(spec["components"]["securitySchemes"]) == {"session", "token", "apiKey"}


def test_each_live_service_has_its_own_request_body(app, spec):
    from app.models import State
    from app.services import service_types

    schemas = spec["components"]["schemas"]
    with app.app_context():
        live = [(s.code, t.code) for s in State.objects for t in service_types.live_services(s)]
    assert live and len(schemas["RequestBody"]["anyOf"]) == len(live)
    tenant = schemas["Request.HR.tenant_verification"]["properties"]["data"]
    assert "tenant_name" in tenant["properties"] and "tenant_name" in tenant["required"]


def _checker(spec):
    def check(response, path, method):
        status = str(response.status_code)
        declared = spec["paths"][path][method]["responses"]
        assert status in declared, f"{method.upper()} {path} answered {status}, not declared"
        content = declared[status].get("content")
        if content is None:
            return
        ref = content["application/json"]["schema"]["$ref"]
        Draft202012Validator({**spec, "$ref": ref}).validate(response.get_json())

    return check


def _token(client, who):
    """A token from a client of its own (a login also leaves a session cookie behind)."""
    account = DEMO[who]
    login = client.application.test_client().post(
        "/login?include_auth_token",
        json={"email": account["email"], "password": account["password"]},
    )
    assert "user" in login.get_json()["response"], login.get_json()
    return {"Authentication-Token": login.get_json()["response"]["user"]["authentication_token"]}


def test_real_answers_match_their_declared_schemas(app, spec, client):
    from app.services import catalogue, service_types

    check = _checker(spec)
    check(client.get("/api/v1/services?state=HR"), "/api/v1/services", "get")
    check(client.get("/api/v1/services?state=XX"), "/api/v1/services", "get")
    check(client.get("/api/v1/services/grievance?state=HR"), "/api/v1/services/{code}", "get")
    check(client.get("/api/v1/services/nothing?state=HR"), "/api/v1/services/{code}", "get")
    check(client.get("/api/v1/stations?pincode=122009"), "/api/v1/stations", "get")
    check(client.get("/api/v1/stations?pincode=12"), "/api/v1/stations", "get")
    check(client.get("/api/v1/requests"), "/api/v1/requests", "get")  # 401

    citizen = _token(client, "citizen")
    uploaded = client.post(
        "/api/v1/uploads", headers=citizen, data={"file": (io.BytesIO(BY_MIME["image/png"]), "p")}
    )
    check(uploaded, "/api/v1/uploads", "post")
    definition = catalogue.load_file(f"{service_types.SERVICE_TYPES_DIR}/grievance.yaml")
    data = valid_data(definition, api_uploader(client, citizen))
    body = {"service": "grievance", "data": data, "station": "HR-GGM-SEC29"}
    created = client.post("/api/v1/requests", headers=citizen, json=body)
    check(created, "/api/v1/requests", "post")
    number = created.get_json()["number"]
    Draft202012Validator({**spec, "$ref": "#/components/schemas/RequestBody"}).validate(
        body
    )  # what was sent is what the document asks for
    bad = client.post(
        "/api/v1/requests", headers=citizen, json={"service": "grievance", "data": {}}
    )
    check(bad, "/api/v1/requests", "post")
    check(client.get("/api/v1/requests", headers=citizen), "/api/v1/requests", "get")
    check(
        client.get(f"/api/v1/requests/{number}", headers=citizen),
        "/api/v1/requests/{number}",
        "get",
    )
    check(client.get(f"/api/v1/status/{number}"), "/api/v1/status/{number}", "get")
    check(client.get("/api/v1/status/HR-XXX-2026-1"), "/api/v1/status/{number}", "get")
    check(client.get("/api/v1/notifications", headers=citizen), "/api/v1/notifications", "get")
    check(
        client.post("/api/v1/notifications/read", headers=citizen),
        "/api/v1/notifications/read",
        "post",
    )
    officer = _token(client, "officer.sector29")
    moved = client.post(
        f"/api/v1/requests/{number}/transitions", headers=officer, json={"action": "nonsense"}
    )
    check(moved, "/api/v1/requests/{number}/transitions", "post")
    check(client.get("/api/v1/openapi.json"), "/api/v1/openapi.json", "get")


def test_the_documentation_page_lists_every_operation_without_outside_assets(spec, client):
    page = client.get("/api/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for path, operations in spec["paths"].items():
        for method in operations:
            assert f"{method.upper()} {path}" in html
    assert "https://" not in html.replace(spec["servers"][0]["url"], "")
    assert 'href="/api/docs"' in client.get("/").get_data(as_text=True)  # linked from the footer
