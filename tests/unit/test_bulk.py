"""Bulk C-Forms from a hotel's CSV: 500 rows filed in one go; a bad row files nothing unless the
hotel chooses to file the valid rows; each error names its row and column; the same file sent
again files nothing twice; an API key's scope holds."""

import csv
import io
from datetime import datetime, timedelta

from app.constants import IST
from app.models import Notification, OutboxMessage, ServiceRequest, User
from app.services import api_keys

from conftest import DEMO

COLUMNS = [
    "premises_name", "premises_pincode", "guest_name", "nationality", "passport_number",
    "visa_number", "visa_valid_until", "arrived_at", "departure_expected", "arrived_from",
    "purpose",
]  # fmt: skip


def _csv(count, bad=()):
    now = datetime.now(IST)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for n in range(count):
        writer.writerow(
            [
                "Hotel Aravali Residency",
                "122009" if n not in bad else "12",
                f"Guest {n}",
                "DE",
                f"C01X{n:05d}",
                f"VX{n:07d}",
                (now + timedelta(days=90)).date().isoformat(),
                (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                (now + timedelta(days=3)).date().isoformat(),
                "Berlin, Germany",
                "tourism",
            ]
        )
    return out.getvalue().encode()


def _post(client, headers, raw, mode=None):
    data = {"service": "c_form", "file": (io.BytesIO(raw), "guests.csv")}
    if mode:
        data["mode"] = mode
    return client.post("/api/v1/requests/bulk", headers=headers, data=data)


def _hotel_key(app, stations=()):
    with app.test_request_context():
        admin = User.objects.get(email=DEMO["admin.haryana"]["email"])
        hotel = User.objects.get(email=DEMO["hotel"]["email"])
        return api_keys.issue(
            admin, hotel.state, name="PMS", owner=hotel, services=["c_form"], stations=stations
        )[1]


def test_five_hundred_guests_are_filed_in_one_go(catalogue_seeded, app, client):
    headers = {"X-API-Key": _hotel_key(app)}
    # One file, posted twice: built twice it could differ (its times are to the minute, and the
    # first import can take a minute boundary with it), which is not "the same file again".
    raw = _csv(500)
    response = _post(client, headers, raw)
    body = response.get_json()
    assert response.status_code == 201, body
    assert len(body["imported"]) == 500 and body["errors"] == [] and body["rows"] == 500
    with app.app_context():
        assert ServiceRequest.objects(service="c_form").count() == 500
    again = _post(client, headers, raw).get_json()  # the same file again: nothing twice
    assert again["imported"] == body["imported"]
    with app.app_context():
        assert ServiceRequest.objects(service="c_form").count() == 500


def test_a_bad_row_files_nothing_unless_the_valid_rows_are_chosen(catalogue_seeded, app, client):
    headers = {"X-API-Key": _hotel_key(app)}
    raw = _csv(20, bad=(3, 7))
    refused = _post(client, headers, raw)
    body = refused.get_json()
    assert refused.status_code == 400 and body["imported"] == []
    assert [(e["row"], e["field"]) for e in body["errors"]] == [
        (5, "premises_pincode"),
        (9, "premises_pincode"),
    ]  # row 1 is the header, so guest 3 is row 5
    with app.app_context():
        assert ServiceRequest.objects(service="c_form").count() == 0
    partly = _post(client, headers, raw, mode="valid").get_json()
    assert len(partly["imported"]) == 18 and len(partly["errors"]) == 2


def test_a_file_that_cannot_be_read_is_a_400_naming_the_problem(catalogue_seeded, app, client):
    headers = {"X-API-Key": _hotel_key(app)}
    wrong = _post(client, headers, b"name,guest\nA,B\n")
    assert wrong.status_code == 400 and "Unknown column" in wrong.get_json()["errors"]["file"]
    binary = _post(client, headers, b"\xff\xfe\x00")
    assert binary.status_code == 400 and "file" in binary.get_json()["errors"]


def test_the_key_scope_holds_for_every_row(catalogue_seeded, app, client):
    headers = {"X-API-Key": _hotel_key(app, stations=("HR-FBD-NITK",))}
    refused = _post(client, headers, _csv(3)).get_json()
    assert refused["imported"] == [] and {e["field"] for e in refused["errors"]} == {"station"}


def test_the_hotel_uploads_in_the_portal(catalogue_seeded, app, client, auth):
    auth.login("hotel")
    page = client.get("/services/c_form/bulk?state=HR").get_data(as_text=True)
    assert "guest_name" in page and "premises_pincode" in page
    token = auth.csrf("/services/c_form/bulk?state=HR")
    done = client.post(
        "/services/c_form/bulk?state=HR",
        data={"csrf_token": token, "mode": "all", "file": (io.BytesIO(_csv(3)), "g.csv")},
    )
    assert done.status_code == 200 and "3 requests filed" in done.get_data(as_text=True)
    with app.app_context():  # the page listed them: no notice per guest
        hotel = User.objects.get(email=DEMO["hotel"]["email"])
        assert Notification.objects(recipient=hotel.id).count() == 0
        assert OutboxMessage.objects(to=hotel.email).count() == 0
    auth.logout()
    auth.login("citizen")  # not an applicant for C-Forms
    assert client.get("/services/c_form/bulk?state=HR").status_code == 403
