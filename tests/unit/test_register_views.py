"""Registers through the admin, the public pages and the API; the vehicle NOC; open data."""

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

from app.models import PoliceStation, RegisterEntry
from app.services import registers
from tests.helpers.clock import submit_at, user
from tests.helpers.service_data import PNG
from tests.unit.test_registers import missing_person, stolen_vehicle


def _post(auth, path, data, token_from=None, **kwargs):
    token = auth.csrf(token_from or path)
    return auth.client.post(path, data=dict(data, csrf_token=token), **kwargs)


def _published(app, kind, data, photo=None):
    with app.app_context():
        station = PoliceStation.objects.get(code="HR-GGM-SEC29")
        entry = registers.record(user("officer.sector29"), station, kind, data, photo)
        registers.publish(entry, user("sho.sector29"))
        return str(entry.id)


def test_an_officer_records_with_a_photo_and_the_sho_publishes_in_the_admin(
    catalogue_seeded, client, auth
):
    app = catalogue_seeded
    auth.login("officer.sector29")
    path = "/admin/registers_admin/new?kind=missing_person"
    bad = _post(auth, path, dict(missing_person(age="old"), station="HR-GGM-SEC29"))
    assert bad.status_code == 400 and 'href="#age"' in bad.get_data(True)
    made = _post(
        auth,
        path,
        dict(missing_person(), station="HR-GGM-SEC29", photo=(io.BytesIO(PNG), "p.png")),
        content_type="multipart/form-data",
    )
    assert made.status_code == 302
    detail = made.headers["Location"]
    page = client.get(detail).get_data(True)
    assert "Ramesh Kumar" in page and "Approve and publish" not in page  # an officer, not SHO
    assert client.get(f"{detail}/photo").status_code == 200
    auth.logout()
    auth.login("sho.sector29")
    assert _post(auth, f"{detail}/publish", {}, detail).status_code == 302
    with app.app_context():
        entry = RegisterEntry.objects.get(kind="missing_person")
        assert entry.status == "published" and entry.photo_file_id
    auth.logout()
    auth.login("sho.nitkotwali")  # another station: 404
    assert client.get(detail).status_code == 404


def test_the_public_sees_only_public_fields_and_photos(catalogue_seeded, client):
    app = catalogue_seeded
    with app.app_context():
        from app.services import uploads

        photo = uploads.store(io.BytesIO(PNG), "p.png", user("officer.sector29")).file_id
    entry_id = _published(app, "missing_person", missing_person(), photo)
    page = client.get("/registers/missing_person?q=sunita").get_data(True)
    assert "Sunita Devi" in page and "Ramesh Kumar" not in page and "9812000001" not in page
    assert f"/registers/photo/{entry_id}" in page
    assert client.get(f"/registers/photo/{entry_id}").status_code == 200
    api = client.get("/api/v1/registers/missing_person?q=sunita").get_json()
    [item] = api["items"]
    assert item["fields"]["name"] == "Sunita Devi" and "reported_by" not in item["fields"]
    assert item["photo"] == f"/registers/photo/{entry_id}"
    assert client.get("/api/v1/registers/nonsense").status_code == 404
    assert client.get("/registers").status_code == 200


def test_a_vehicle_noc_is_issued_only_when_no_theft_is_on_record(catalogue_seeded, client, auth):
    app = catalogue_seeded
    _published(app, "stolen_vehicle", stolen_vehicle())
    stolen = client.get("/registers/stolen_vehicle?registration=HR26DQ1234").get_data(True)
    assert "This vehicle is reported stolen" in stolen and "Download the vehicle NOC" not in stolen
    clean = client.get("/registers/stolen_vehicle?registration=HR26AB0001").get_data(True)
    assert "No theft of this vehicle is on record" in clean and "Log in to download" in clean
    auth.login("citizen")
    path = "/registers/stolen_vehicle?registration=HR26AB0001"
    page = client.get(path).get_data(True)
    assert "Download the vehicle NOC" in page
    pdf = _post(
        auth, "/registers/stolen_vehicle/noc", {"registration": "HR26AB0001", "state": "HR"}, path
    )
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    refused = _post(
        auth, "/registers/stolen_vehicle/noc", {"registration": "hr26dq1234", "state": "HR"}, path
    )
    assert refused.status_code == 409 and "No NOC can be issued" in refused.get_data(True)
    with app.app_context():
        from app.models import IssuedDocument
        from app.services import documents

        noc = IssuedDocument.objects.get(kind="vehicle_noc")
        assert documents.verify(noc.code)[0] == "genuine"
        assert noc.statements["facts"][0]["value"]["en"] == "HR26AB0001"


def test_open_data_files_have_metadata_and_correct_figures(catalogue_seeded, client):
    app = catalogue_seeded
    _published(app, "stolen_vehicle", stolen_vehicle())
    with app.app_context():
        now = datetime.now(UTC)
        for _ in range(3):
            submit_at("tenant_verification", now - timedelta(hours=2))
        submit_at("grievance", now - timedelta(hours=1))
        from app.services import firs

        firs.register(
            user("sho.sector29"),
            PoliceStation.objects.get(code="HR-GGM-SEC29"),
            {"informant_name": "Secret Informant", "informant_address": "Sector 29", "category": "sexual_offence",
             "sections": ["BNS 75"], "occurred_from": now - timedelta(days=1), "place": "P",
             "brief": "B"},
        )  # fmt: skip
    page = client.get("/open-data").get_data(True)
    assert "Government Open Data License" in page and "Data dictionary" in page
    response = client.get("/open-data/requests-by-month.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    tenant = [r for r in rows if r["service"] == "tenant_verification"]
    assert sum(int(r["requests"]) for r in tenant) == 3 and tenant[0]["district"] == "GGM"
    body = json.loads(client.get("/open-data/register-stolen-vehicle.json").data)
    meta = body["metadata"]
    assert meta["licence"].startswith("Government Open Data") and meta["frequency"] == "Daily"
    assert meta["publisher"] and meta["last_updated"] and meta["rows"] == 1
    assert {c["name"] for c in meta["columns"]} >= {"registration", "chassis", "stolen_on"}
    [vehicle] = body["data"]
    assert vehicle["registration"] == "HR26DQ1234" and "owner_name" not in vehicle
    everything = "".join(
        client.get(f"/open-data/{name}.json").get_data(True)
        for name in re.findall(r"/open-data/([a-z-]+)\.json", page)
    )
    assert "Secret Informant" not in everything and "9812000002" not in everything
    assert client.get("/open-data/nothing.csv").status_code == 404


def test_the_officer_who_found_a_body_sees_the_missing_person_it_may_be(
    catalogue_seeded, client, auth
):
    """The match is at another district's station: its public fields and that station's phone
    are shown (they are public anyway), though the entry itself is not in the officer's scope."""
    app = catalogue_seeded
    _published(app, "missing_person", missing_person())
    with app.app_context():
        from tests.unit.test_registers import found_body

        body = registers.record(
            user("officer.nitkotwali"),
            PoliceStation.objects.get(code="HR-FBD-NITK"),
            "unidentified_body",
            found_body(),
        )
    auth.login("officer.nitkotwali")
    page = client.get(f"/admin/registers_admin/{body.id}").get_data(as_text=True)
    assert "Possible matches" in page and "Sunita Devi" in page and "0124-2222929" in page
    assert "Ramesh Kumar" not in page  # the reporter's details stay with Sector 29
    assert "same district" not in page and "height" in page


def test_open_data_is_rewritten_when_a_day_old_and_kept_apart_per_database(catalogue_seeded, app):
    import os

    from app.services import open_data

    with app.app_context():
        path = open_data.file_path("requests-by-month", "csv", "P")
        assert os.path.dirname(path).endswith(os.path.join("open-data", _db_name()))
        submit_at("grievance", datetime.now(UTC))
        assert "grievance" not in open(path, encoding="utf-8-sig").read()  # a fresh file stays
        later = datetime.now(UTC) + timedelta(hours=27)
        open_data.file_path("requests-by-month", "csv", "P", now=later)
        assert "grievance" in open(path, encoding="utf-8-sig").read()  # a day old: rewritten


def _db_name():
    from mongoengine.connection import get_db

    return get_db().name


def test_a_bad_noc_request_is_a_400_naming_the_field(catalogue_seeded, client, auth):
    _published(catalogue_seeded, "stolen_vehicle", stolen_vehicle())  # not "reported stolen"
    auth.login("citizen")
    path = "/registers/stolen_vehicle?registration=HR26AB0001"
    no_state = _post(auth, "/registers/stolen_vehicle/noc", {"registration": "HR26AB0001"}, path)
    assert no_state.status_code == 400 and "State: choose" in no_state.get_data(True)
    no_number = _post(auth, "/registers/stolen_vehicle/noc", {"state": "HR"}, path)
    assert no_number.status_code == 400 and "engine number" in no_number.get_data(True)
