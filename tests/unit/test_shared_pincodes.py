"""A PIN code served by two stations: the citizen is asked to choose between them (form and API),
and the administrator who saves such a station is warned, naming the other station."""

from flask import get_flashed_messages

from app.models import PoliceStation
from app.services import catalogue, service_types
from app.views.admin.jurisdictions import _warn_of_shared_pincodes
from tests.helpers.service_data import api_uploader, valid_data

from conftest import Auth


def _share(app, pin="122009", code="HR-GGM-DLF1"):
    with app.app_context():
        PoliceStation.objects(code=code).update_one(add_to_set__pincodes=pin)


def _token(client):
    from conftest import DEMO

    login = client.application.test_client().post(
        "/login?include_auth_token",
        json={"email": DEMO["citizen"]["email"], "password": DEMO["citizen"]["password"]},
    )
    return {"Authentication-Token": login.get_json()["response"]["user"]["authentication_token"]}


def test_the_api_asks_which_station_and_takes_the_choice(catalogue_seeded, app, client):
    _share(app)
    headers = _token(client)
    definition = catalogue.load_file(
        f"{service_types.SERVICE_TYPES_DIR}/character_certificate.yaml"
    )
    data = valid_data(definition, api_uploader(client, headers))
    data["pincode"] = "122009"
    body = {"service": "character_certificate", "data": data}
    refused = client.post("/api/v1/requests", headers=headers, json=body)
    assert refused.status_code == 400
    message = refused.get_json()["errors"]["station"]
    assert "Sector 29" in message and "DLF Phase 1" in message
    chosen = client.post(
        "/api/v1/requests", headers=headers, json={**body, "station": "HR-GGM-DLF1"}
    )
    assert chosen.status_code == 201 and chosen.get_json()["station"] == "HR-GGM-DLF1"


def test_the_form_shows_the_two_stations_to_choose_from(catalogue_seeded, app, client, auth):
    _share(app)
    auth.login("citizen")
    token = Auth(client).csrf("/services/lost_article/apply?state=HR")
    form = {
        "csrf_token": token,
        "full_name": "Asha Verma",
        "mobile": "9810000001",
        "address": "House 12, Sector 29, Gurugram",
        "article_type": "mobile_phone",
        "article_description": "A black phone",
        "lost_at": "2026-11-30T10:00",
        "lost_place": "Sector 29 market",
        "lost_pincode": "122009",
    }
    page = client.post("/services/lost_article/apply?state=HR", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="station"' in html
    assert 'value="HR-GGM-DLF1"' in html and 'value="HR-GGM-SEC29"' in html
    assert "more than one police station" in html
    review = client.post(
        "/services/lost_article/apply?state=HR", data={**form, "station": "HR-GGM-DLF1"}
    )
    assert review.status_code == 200 and 'name="station" value="HR-GGM-DLF1"' in review.get_data(
        as_text=True
    )
    done = client.post(
        "/services/lost_article/apply?state=HR",
        data={**form, "station": "HR-GGM-DLF1", "confirm": "1"},
    )
    assert done.status_code == 302
    with app.app_context():
        from app.models import ServiceRequest

        assert (
            ServiceRequest.objects.get(
                service="lost_article", data__lost_pincode="122009"
            ).station.code
            == "HR-GGM-DLF1"
        )


def test_saving_a_station_with_a_shared_pin_warns_and_names_the_other(catalogue_seeded, app):
    _share(app)
    with app.test_request_context():
        station = PoliceStation.objects.get(code="HR-GGM-DLF1")
        _warn_of_shared_pincodes(station)
        [(category, message)] = get_flashed_messages(with_categories=True)
    assert category == "warning" and "122009" in message and "HR-GGM-SEC29" in message
