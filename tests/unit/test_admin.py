"""Every role against every admin endpoint, and bad input to admin forms."""

import pytest

from app.models import Holiday, State

LISTS = [
    "states",
    "districts",
    "stations",
    "holidays",
    "users",
    "postings",
    "roles",
    "organisations",
    "audit",
    "requests",
    "catalogue",
]
JURISDICTION_LISTS = {"states", "districts", "stations", "holidays"}
STAFF_LISTS = {"users", "postings", "roles"}
CREATABLE = {"districts", "stations", "holidays", "users", "postings", "catalogue"}

# who → (can open the dashboard, lists they may open, lists they may create in)
ACCESS = {
    "citizen": (False, set(), set()),
    "hotel": (False, set(), set()),
    "officer.sector29": (True, {"requests"}, set()),
    "sho.sector29": (True, {"requests"}, set()),
    "acp.gurugram": (True, JURISDICTION_LISTS | {"requests"}, set()),
    "admin.haryana": (True, set(LISTS), CREATABLE),
    "auditor.haryana": (True, JURISDICTION_LISTS | STAFF_LISTS | {"audit", "requests"}, set()),
}


def expected_status(logged_in, allowed):
    if allowed:
        return 200
    return 403 if logged_in else 302


@pytest.mark.parametrize("who", [None, *ACCESS])
def test_every_role_against_every_admin_endpoint(client, auth, who):
    """Each role gets 200 where its permissions allow, 403 elsewhere; anonymous goes to login."""
    dashboard, lists, creatable = ACCESS.get(who, (False, set(), set()))
    if who:
        auth.login(who)
    seen = {"/admin/": client.get("/admin/").status_code}
    expected = {"/admin/": expected_status(who, dashboard)}
    for name in LISTS:
        seen[f"/admin/{name}/"] = client.get(f"/admin/{name}/").status_code
        expected[f"/admin/{name}/"] = expected_status(who, name in lists)
        new = client.get(f"/admin/{name}/new/")
        if name in creatable:
            expected[f"/admin/{name}/new/"] = 200
        elif name in lists:
            expected[f"/admin/{name}/new/"] = 302  # Flask-Admin sends read-only users to the list
        else:
            expected[f"/admin/{name}/new/"] = expected_status(who, False)
        seen[f"/admin/{name}/new/"] = new.status_code
    seen["/admin/queue/"] = client.get("/admin/queue/").status_code
    expected["/admin/queue/"] = expected_status(who, "requests" in lists)
    assert seen == expected
    if who is None:
        assert "/login" in client.get("/admin/users/").headers["Location"]


@pytest.mark.parametrize("who", ["auditor.haryana", "acp.gurugram", "sho.sector29"])
def test_read_only_roles_cannot_post_to_admin(client, auth, app, who):
    """A POST from a role without edit permission creates nothing."""
    with app.app_context():
        haryana = State.objects.get(code="HR")
        before = Holiday.objects.count()
    auth.login(who)
    token = auth.csrf("/dashboard")
    client.post(
        "/admin/holidays/new/",
        data={
            "state": str(haryana.id),
            "date": "2026-12-31",
            "name_en": "X",
            "name_hi": "X",
            "csrf_token": token,
        },
    )
    with app.app_context():
        assert Holiday.objects.count() == before


def test_other_states_records_are_404_in_admin(client, auth, app):
    with app.app_context():
        delhi_station = __import__("app.models", fromlist=["x"]).PoliceStation.objects.get(
            code="DL-ND-CP"
        )
    auth.login("admin.haryana")
    assert client.get(f"/admin/stations/details/?id={delhi_station.id}").status_code == 404
    assert client.get(f"/admin/stations/edit/?id={delhi_station.id}").status_code == 404
    token = auth.csrf("/admin/stations/")
    response = client.post(
        "/admin/stations/delete/", data={"id": str(delhi_station.id), "csrf_token": token}
    )
    assert response.status_code in (302, 404)


@pytest.mark.parametrize(
    "bad", ["not-an-id", "", "{'$ne': ''}", "6b0b3eac435a6938242b7aa", "0" * 24]
)
def test_malformed_reference_ids_are_form_errors_not_500(client, auth, app, bad):
    """Garbage or unknown ids in a reference field come back as a field error; nothing is saved."""
    with app.app_context():
        before = Holiday.objects.count()
    auth.login("admin.haryana")
    response = client.post(
        "/admin/holidays/new/",
        data={
            "state": bad,
            "date": "2026-12-31",
            "name_en": "X",
            "name_hi": "X",
            "csrf_token": auth.csrf("/admin/holidays/new/"),
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page or "This field is required" in page
    with app.app_context():
        assert Holiday.objects.count() == before


@pytest.mark.parametrize("bad", ["nope", "{'$gt': ''}", "0" * 24])
def test_malformed_ids_in_urls_are_404(client, auth, bad):
    auth.login("admin.haryana")
    assert client.get(f"/admin/stations/details/?id={bad}").status_code == 404


def test_malformed_action_row_ids_change_nothing(client, auth):
    auth.login("admin.haryana")
    token = auth.csrf("/admin/organisations/")
    response = client.post(
        "/admin/organisations/action/",
        data={"action": "approve", "rowid": ["x", "{'$ne': 1}"], "csrf_token": token},
    )
    assert response.status_code == 302


def test_bad_pincode_is_a_field_error(client, auth, app):
    with app.app_context():
        station = __import__("app.models", fromlist=["x"]).PoliceStation.objects.get(
            code="HR-GGM-SEC29"
        )
    auth.login("admin.haryana")
    path = f"/admin/stations/edit/?id={station.id}"
    client.post(
        path,
        data={
            "district": str(station.district.id),
            "code": station.code,
            "name_en": station.name_en,
            "name_hi": station.name_hi,
            "address": station.address,
            "pincodes_text": "12345, abc",
            "csrf_token": auth.csrf(path),
        },
    )
    with app.app_context():
        station.reload()
        assert station.pincodes == ["122009"]


def test_admin_menu_shows_only_permitted_views(client, auth):
    auth.login("auditor.haryana")
    page = client.get("/admin/").get_data(as_text=True)
    assert "/admin/audit/" in page and "/admin/users/" in page
    assert "/admin/organisations/" not in page


def test_admin_search_is_case_insensitive_and_literal(client, auth):
    """Search uses a portable regex (FerretDB refuses mongoengine's icontains) and escapes input."""
    auth.login("admin.haryana")
    page = client.get("/admin/stations/?search=sector").get_data(as_text=True)
    assert "HR-GGM-SEC29" in page and "HR-FBD-NITK" not in page
    assert client.get("/admin/stations/?search=.*").status_code == 200
    assert "HR-GGM-SEC29" not in client.get("/admin/stations/?search=.*").get_data(as_text=True)


def test_admin_lists_show_times_in_india_time_as_dd_mm_yyyy(app, client, auth):
    from datetime import datetime

    from app.models import AuditEvent, State

    with app.app_context():
        AuditEvent(
            at=datetime(2026, 12, 1, 10, 0),  # stored UTC
            action="test.ist_shown",
            state=State.objects.get(code="HR"),
        ).save()
    auth.login("admin.haryana")
    page = client.get("/admin/audit/?search=test.ist_shown").get_data(as_text=True)
    assert "01-12-2026 15:30 IST" in page
    assert "2026-12-01 10:00:00" not in page
