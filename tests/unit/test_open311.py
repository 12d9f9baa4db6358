"""Open311 GeoReport v2: services and their attributes from the catalogue, reports from partner
apps with an API key (403 and the spec's error list without one), and a public view that never
shows the reporter."""

# ruff: noqa: S314 — the XML parsed here is the portal's own answer

from xml.etree import ElementTree as ET

from app.models import ServiceRequest, User
from app.services import api_keys
from tests.helpers.open311 import REPORT

from conftest import DEMO


def _key(app, services=("complaint", "grievance")):
    with app.test_request_context():
        admin = User.objects.get(email=DEMO["admin.haryana"]["email"])
        hotel = User.objects.get(email=DEMO["hotel"]["email"])
        record, key = api_keys.issue(
            admin, hotel.state, name="City app", owner=hotel, services=services, stations=()
        )
    return record, key


def test_services_and_a_definition_in_json_and_xml(catalogue_seeded, client):
    services = client.get("/open311/v2/services.json?jurisdiction_id=HR").get_json()
    assert {s["service_code"] for s in services} == {"complaint", "grievance"}
    xml = ET.fromstring(client.get("/open311/v2/services.xml?jurisdiction_id=HR").data)
    assert xml.tag == "services" and len(xml.findall("service")) == 2
    definition = client.get("/open311/v2/services/complaint.json?jurisdiction_id=HR").get_json()
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert attributes["incident_pincode"]["datatype"] == "string"
    assert attributes["incident_at"]["datatype"] == "datetime"
    assert attributes["description"]["datatype"] == "text"
    assert (
        attributes["category"]["datatype"] == "singlevaluelist" and attributes["category"]["values"]
    )
    assert "evidence" not in attributes  # a file cannot travel through Open311
    grievance = client.get("/open311/v2/services/grievance.xml?jurisdiction_id=HR").data
    assert b"<code>station</code>" in grievance  # its station is chosen, from a list


def test_jurisdiction_is_required_and_errors_are_the_spec_list(catalogue_seeded, client):
    missing = client.get("/open311/v2/services.json")
    assert missing.status_code == 400 and missing.get_json()[0]["code"] == 400
    unknown = client.get("/open311/v2/services/nothing.xml?jurisdiction_id=HR")
    root = ET.fromstring(unknown.data)
    assert unknown.status_code == 404 and root.tag == "errors"
    assert root.find("error/code").text == "404" and root.find("error/description").text


def test_a_report_needs_a_valid_key(catalogue_seeded, app, client):
    refused = client.post("/open311/v2/requests.json", data=REPORT)
    assert refused.status_code == 403 and refused.get_json()[0]["code"] == 403
    record, key = _key(app)
    with app.test_request_context():
        api_keys.revoke(record, User.objects.get(email=DEMO["admin.haryana"]["email"]))
    revoked = client.post("/open311/v2/requests.xml", data={**REPORT, "api_key": key})
    assert revoked.status_code == 403
    assert ET.fromstring(revoked.data).find("error/code").text == "403"
    with app.app_context():
        assert ServiceRequest.objects(channel="open311").count() == 0


def test_a_report_becomes_a_request_and_its_public_view_hides_the_reporter(
    catalogue_seeded, app, client
):
    _record, key = _key(app)
    created = client.post("/open311/v2/requests.json", data={**REPORT, "api_key": key})
    assert created.status_code == 201, created.get_json()
    [row] = created.get_json()
    number = row["service_request_id"]
    with app.app_context():
        request = ServiceRequest.objects.get(number=number)
        assert request.applicant is None and request.walk_in_mobile == "9876543210"
        assert request.station.code == "HR-GGM-SEC29" and request.channel == "open311"
    listed = client.get("/open311/v2/requests.json?jurisdiction_id=HR").get_json()
    assert [r["service_request_id"] for r in listed] == [number]
    one = client.get(f"/open311/v2/requests/{number}.xml?jurisdiction_id=HR").data
    for secret in (b"Ravi", b"9876543210", b"ravi@example.in", b"bicycle", b"Sector 29"):
        assert secret not in one  # a complaint's public view: number and stage only
    token = client.get(f"/open311/v2/tokens/{row['token']}.json?jurisdiction_id=HR").get_json()
    assert token[0]["service_request_id"] == number


def test_a_bad_report_is_a_400_naming_the_field_and_files_nothing(catalogue_seeded, app, client):
    _record, key = _key(app)
    bad = {**REPORT, "api_key": key, "attribute[incident_pincode]": "12"}
    refused = client.post("/open311/v2/requests.json", data=bad)
    assert refused.status_code == 400 and "incident_pincode" in refused.get_json()[0]["description"]
    no_phone = {**REPORT, "api_key": key, "phone": ""}
    assert client.post("/open311/v2/requests.json", data=no_phone).status_code == 400
    narrow_record, narrow = _key(app, services=("grievance",))
    assert (
        client.post("/open311/v2/requests.json", data={**REPORT, "api_key": narrow}).status_code
        == 403
    )
    with app.app_context():
        assert ServiceRequest.objects(channel="open311").count() == 0
