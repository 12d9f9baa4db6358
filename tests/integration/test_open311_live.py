"""Open311 against the live stack, with a real client: `georeport` 0.3.1 reads the service list,
a service definition and a created request in JSON and XML; the report is posted per the
specification (georeport has no POST) with a key the state administrator issued in the admin."""

import re

import pytest
import requests
from georeport import GeoReport

from app.services.seed import demo_accounts
from tests.helpers.open311 import REPORT

DEMO = {row["email"].split("@")[0]: row for row in demo_accounts()}


@pytest.fixture
def city_app_key(browser, reset_rate_limits):
    """A key for complaints, issued through the admin by Haryana's administrator."""
    admin = DEMO["admin.haryana"]
    browser.login(admin["email"], admin["password"])
    page = browser.get("/admin/api_keys/").text
    hotel = re.search(r'<option value="([0-9a-f]{24})">Hotel Aravali', page).group(1)
    issued = browser.post_form(
        "/admin/api_keys/issue",
        {"name": "City app", "owner": hotel, "services": ["complaint", "grievance"]},
        token_from="/admin/api_keys/",
    )
    return re.search(r'id="issued-key"[^>]*>(pk_[^<]+)<', issued.text).group(1)


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_reads_services_definitions_and_a_created_request(
    base_url, city_app_key, output_format
):
    client = GeoReport(f"{base_url}/open311/v2", jurisdiction="HR", output_format=output_format)
    services = client.get_service_list()
    assert {s["service_code"] for s in services} == {"complaint", "grievance"}
    definition = client.get_service_definition("complaint")
    codes = (
        {a["code"] for a in definition["attributes"]["attribute"]}
        if output_format == "xml"
        else {a["code"] for a in definition["attributes"]}
    )
    assert "incident_pincode" in codes and "evidence" not in codes

    posted = requests.post(
        f"{base_url}/open311/v2/requests.{output_format}",
        data={**REPORT, "api_key": city_app_key},
        timeout=30,
    )
    assert posted.status_code == 201, posted.text
    number = re.search(r"HR-CMP-\d{4}-\d{6}-[0-9A-Z]", posted.text).group(0)
    found = client.get_service_request(number)
    assert found["service_request_id"] == number and found["status"] == "open"
    assert "Ravi" not in str(found) and "9876543210" not in str(found)
    listed = client.get_service_requests(service_code="complaint")
    rows = listed if isinstance(listed, list) else [listed]
    assert number in {r["service_request_id"] for r in rows}


def test_a_report_without_a_key_or_with_a_revoked_one_gets_403_and_the_error_list(
    base_url, browser, city_app_key
):
    without = requests.post(f"{base_url}/open311/v2/requests.json", data=REPORT, timeout=30)
    assert without.status_code == 403 and without.json()[0]["code"] == 403
    page = browser.get("/admin/api_keys/").text
    prefix = city_app_key.split("_")[1]
    revoke = re.search(rf'{prefix}….*?action="(/admin/api_keys/revoke/[0-9a-f]{{24}})"', page, re.S)
    browser.post_form(revoke.group(1), {}, token_from="/admin/api_keys/")
    revoked = requests.post(
        f"{base_url}/open311/v2/requests.xml", data={**REPORT, "api_key": city_app_key}, timeout=30
    )
    assert revoked.status_code == 403
    assert "<errors><error><code>403</code>" in revoked.text
