"""Officers find requests by number, name (Hindi or Latin), mobile and Aadhaar's last four, in
their jurisdiction only; staff land on their queue after logging in."""

import re

import pytest

from app.models import ServiceRequest
from app.services import numbering, request_search
from tests.unit.test_requests import definition, submit

HINDI_NAME = "राम कुमार शर्मा"


def test_keys_hold_name_words_mobiles_and_a_keyed_last_four_never_the_number(app):
    service = definition(app, "tenant_verification")
    data = {
        "tenant_name": "Asha  RANI-Verma",
        "tenant_father_name": HINDI_NAME,
        "tenant_mobile": "9876501234",
        "tenant_aadhaar": {"masked": "XXXX XXXX 4321", "token": "t"},
    }
    with app.app_context():
        keys = request_search.keys(service, data, "Owner Singh", "+91 98765 00000")
        last_four = request_search.query_keys("4321")[1]
    for key in ("n:asha", "n:rani", "n:verma", "n:राम", "n:शर्मा", "n:owner", "m:9876501234"):
        assert key in keys
    assert "m:9876500000" in keys
    assert last_four[0] in keys and not any("4321" in key for key in keys)
    assert request_search.subject_name(service, data) == "Asha  RANI-Verma"


def test_a_number_is_recognised_with_or_without_dashes_and_a_wrong_check_is_not():
    number = "HR-TEN-2027-000123-" + numbering.check_character("HR-TEN-2027-000123")
    compact = number.replace("-", "").lower()
    assert request_search.query_keys(compact) == (number, [])
    assert request_search.query_keys(f" {number} ") == (number, [])
    wrong = number[:-1] + ("A" if number[-1] != "A" else "B")
    assert request_search.query_keys(wrong)[0] is None
    assert request_search.query_keys("+91 98765-01234") == (None, ["m:9876501234"])


def _found(client, term):
    """The numbers in the rows of the officer's list searched for `term` (not the echoed term)."""
    page = client.get("/admin/requests/", query_string={"search": term}).get_data(as_text=True)
    return set(re.findall(r'<td class="col-number">\s*([A-Z0-9*-]+)', page)), page


@pytest.mark.db
def test_officers_find_their_stations_requests_by_any_key_and_no_others(catalogue_seeded, auth):
    app = catalogue_seeded
    number = submit(
        app, "tenant_verification", tenant_name=HINDI_NAME, tenant_mobile="9123456780"
    ).get_json()["number"]
    other = submit(app, "tenant_verification", tenant_name="Someone Else").get_json()["number"]
    with app.app_context():
        stored = ServiceRequest.objects.get(number=number)
        last_four = stored.data["tenant_aadhaar"]["masked"][-4:]
        assert stored.subject_name == HINDI_NAME

    auth.login("officer.sector29")
    client = auth.client
    for term in (number.replace("-", ""), "कुमार", "शर्मा राम", "91234 56780", last_four):
        assert number in _found(client, term)[0], term
    rows, page = _found(client, "कुमार")
    assert rows == {number} and other not in rows and HINDI_NAME in page  # the subject column
    assert _found(client, "Nobody")[0] == set()

    auth.logout()
    auth.login("officer.nitkotwali")  # another station of the same state
    assert _found(auth.client, "कुमार")[0] == set()
    assert _found(auth.client, number)[0] == set()


def test_staff_land_on_their_queue_and_citizens_on_their_dashboard(catalogue_seeded, auth):
    landed = auth.login("officer.sector29")
    assert landed.status_code == 302 and landed.headers["Location"].endswith("/start")
    assert auth.client.get("/start").headers["Location"].endswith("/admin/queue/")
    auth.logout()
    auth.login("citizen")
    assert auth.client.get("/start").headers["Location"].endswith("/dashboard")
