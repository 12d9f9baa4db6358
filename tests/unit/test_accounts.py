"""Registration, email confirmation, organisation approval and staff accounts."""

import re

import pytest

from app.models import AuditEvent, OutboxMessage, Posting, Role, State, User

from conftest import DEMO

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.


def register(client, auth, **overrides):
    data = {
        "full_name": "Ravi Kumar",
        "email": "ravi.kumar@mail.co.in",
        "mobile": "9876543210",
        "home_state": "HR",
        "password": "Str0ng#Passw0rd",
        "password_confirm": "Str0ng#Passw0rd",
        "applicant_type": "citizen",
        "organisation_kind": "",
        "organisation_name": "",
        "csrf_token": auth.csrf("/register"),
    }
    data.update(overrides)
    return client.post("/register", data=data)


def confirmation_link(app, email):
    with app.app_context():
        message = OutboxMessage.objects(to=email).order_by("-created_at").first()
        assert message is not None, f"no email to {email}"
        return re.search(r"https?://\S+/confirm/\S+", message.body_text).group(0)


def test_citizen_registers_confirms_and_logs_in(client, auth, app):
    """Register, follow the emailed link, log in: the account is a citizen of Haryana."""
    response = register(client, auth)
    assert response.status_code == 302 and response.headers["Location"].endswith("/registered")
    link = confirmation_link(app, "ravi.kumar@mail.co.in")
    assert client.get(link.split("localhost", 1)[1]).status_code == 302
    login = auth.login_as("ravi.kumar@mail.co.in", "Str0ng#Passw0rd")
    assert login.status_code == 302
    assert client.get("/dashboard").status_code == 200
    with app.app_context():
        user = User.objects.get(email="ravi.kumar@mail.co.in")
        assert [r.name for r in user.roles] == ["citizen"]
        assert user.state.code == "HR" and user.mobile == "9876543210"
        assert user.confirmed_at is not None
        assert AuditEvent.objects(action="register", actor=user).count() == 1


def test_unconfirmed_citizen_cannot_log_in(client, auth, app):
    register(client, auth)
    login = auth.login_as("ravi.kumar@mail.co.in", "Str0ng#Passw0rd")
    assert login.status_code == 200
    assert client.get("/dashboard").status_code == 302


def test_registration_cannot_grant_a_role(client, auth, app):
    """Extra form fields such as roles or account_type are ignored."""
    register(client, auth, roles="state_admin", account_type="staff", active="y")
    with app.app_context():
        user = User.objects.get(email="ravi.kumar@mail.co.in")
        assert [r.name for r in user.roles] == ["citizen"]
        assert user.account_type == "citizen"


def test_registration_errors_name_the_field(client, auth, app):
    response = register(client, auth, mobile="12345", email="not-an-email")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="mobile-error"' in page and 'aria-invalid="true"' in page
    assert 'id="email-error"' in page
    with app.app_context():
        assert User.objects(email="not-an-email").count() == 0


@pytest.mark.db
def test_registering_an_existing_email_looks_like_success(client, auth, app):
    """No enumeration at registration: an existing address gets the same answer."""
    response = register(client, auth, email=DEMO["citizen"]["email"])
    fresh = register(client, auth)
    assert response.status_code == fresh.status_code == 302
    with app.app_context():
        assert User.objects(email=DEMO["citizen"]["email"]).count() == 1


def test_organisation_registers_pending_without_a_role(client, auth, app):
    register(
        client,
        auth,
        email="frontdesk@hotelsurya.co.in",
        applicant_type="organisation",
        organisation_kind="hotel",
        organisation_name="Hotel Surya",
    )
    with app.app_context():
        user = User.objects.get(email="frontdesk@hotelsurya.co.in")
        assert user.account_type == "organisation"
        assert user.organisation.status == "pending" and user.organisation.name == "Hotel Surya"
        assert user.roles == []


def test_organisation_needs_a_name(client, auth, app):
    response = register(client, auth, applicant_type="organisation", organisation_kind="hotel")
    assert 'id="organisation_name-error"' in response.get_data(as_text=True)


@pytest.mark.db
def test_state_admin_approves_an_organisation_of_their_state(client, auth, app):
    """The approve action gives the organisation role and records who decided."""
    with app.app_context():
        agency = User.objects.get(email=DEMO["agency"]["email"])
    auth.login("admin.haryana")
    token = auth.csrf("/admin/organisations/")
    response = client.post(
        "/admin/organisations/action/",
        data={"action": "approve", "rowid": str(agency.id), "csrf_token": token},
    )
    assert response.status_code == 302
    with app.app_context():
        agency = User.objects.get(email=DEMO["agency"]["email"])
        assert agency.organisation.status == "approved"
        assert [r.name for r in agency.roles] == ["organisation"]
        assert agency.organisation.decided_by.email == DEMO["admin.haryana"]["email"]
        assert AuditEvent.objects(action="organisation_approved").count() == 1


@pytest.mark.db
def test_admin_of_another_state_cannot_approve(client, auth, app):
    with app.app_context():
        agency = User.objects.get(email=DEMO["agency"]["email"])
    auth.login("admin.delhi")
    token = auth.csrf("/admin/organisations/")
    client.post(
        "/admin/organisations/action/",
        data={"action": "approve", "rowid": str(agency.id), "csrf_token": token},
    )
    assert client.get(f"/admin/organisations/details/?id={agency.id}").status_code == 404
    with app.app_context():
        assert User.objects.get(email=DEMO["agency"]["email"]).organisation.status == "pending"


def test_state_admin_creates_a_staff_account_and_posts_it(client, auth, app):
    """A new staff account gets a set-password email; a posting then gives it the role."""
    auth.login("admin.haryana")
    response = client.post(
        "/admin/users/new/",
        data={
            "email": "si.new@police-hr.example",
            "full_name": "SI New Officer",
            "mobile": "9811111111",
            "active": "y",
            "csrf_token": auth.csrf("/admin/users/new/"),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = User.objects.get(email="si.new@police-hr.example")
        assert user.account_type == "staff" and user.roles == [] and user.state.code == "HR"
        reset = OutboxMessage.objects(to=user.email).first()
        assert reset is not None and "/reset/" in reset.body_text
        role = Role.objects.get(name="station_officer")
        from app.models import PoliceStation

        station = PoliceStation.objects.get(code="HR-GGM-SEC56")
    response = client.post(
        "/admin/postings/new/",
        data={
            "user": str(user.id),
            "role": str(role.id),
            "designation": "Sub-Inspector",
            "station": str(station.id),
            "active": "y",
            "start_date": "2026-11-01",
            "reason": "Posted on transfer order 114/2026",
            "csrf_token": auth.csrf("/admin/postings/new/"),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        user = User.objects.get(email="si.new@police-hr.example")
        assert [r.name for r in user.roles] == ["station_officer"]
        posting = Posting.objects.get(user=user)
        assert posting.district.code == "GGM" and posting.state.code == "HR"


def test_state_admin_cannot_post_staff_to_another_state(client, auth, app):
    with app.app_context():
        officer = User.objects.get(email=DEMO["officer.sector29"]["email"])
        role = Role.objects.get(name="station_officer")
        from app.models import PoliceStation

        delhi_station = PoliceStation.objects.get(code="DL-ND-CP")
    auth.login("admin.haryana")
    response = client.post(
        "/admin/postings/new/",
        data={
            "user": str(officer.id),
            "role": str(role.id),
            "station": str(delhi_station.id),
            "active": "y",
            "csrf_token": auth.csrf("/admin/postings/new/"),
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert Posting.objects(station=delhi_station, user=officer).count() == 0


def test_user_form_has_no_role_or_password_fields(client, auth):
    auth.login("admin.haryana")
    page = client.get("/admin/users/new/").get_data(as_text=True)
    assert 'name="roles"' not in page and 'name="password"' not in page
    assert 'name="account_type"' not in page


def test_list_masks_mobile_numbers(client, auth, app):
    with app.app_context():
        citizen = User.objects.get(email=DEMO["citizen"]["email"])
    auth.login("admin.haryana")
    page = client.get(f"/admin/users/details/?id={citizen.id}").get_data(as_text=True)
    assert "XXXXXX0001" in page and "9810000001" not in page


def test_deactivated_user_cannot_log_in(client, auth, app):
    with app.app_context():
        User.objects(email=DEMO["citizen"]["email"]).update(set__active=False)
    auth.login("citizen")
    assert client.get("/dashboard").status_code == 302


def test_state_admin_edits_a_station_in_their_state(client, auth, app):
    with app.app_context():
        station = __import__("app.models", fromlist=["PoliceStation"]).PoliceStation.objects.get(
            code="HR-GGM-SEC29"
        )
        district = station.district
    auth.login("admin.haryana")
    path = f"/admin/stations/edit/?id={station.id}"
    response = client.post(
        path,
        data={
            "district": str(district.id),
            "code": "HR-GGM-SEC29",
            "name_en": "Sector 29 Police Station",
            "name_hi": "सेक्टर 29 थाना",
            "address": "New address, Gurugram 122009",
            "pincodes_text": "122009, 122010",
            "phone": "0124-2222929",
            "email": "sho-sector29.ggm@police-hr.example",
            "csrf_token": auth.csrf(path),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        station.reload()
        assert station.pincodes == ["122009", "122010"] and station.address.startswith(
            "New address"
        )
        assert AuditEvent.objects(action="admin.update", object_id=str(station.id)).count() == 1


def test_state_of_holiday_must_be_the_admins(client, auth, app):
    with app.app_context():
        delhi = State.objects.get(code="DL")
    auth.login("admin.haryana")
    response = client.post(
        "/admin/holidays/new/",
        data={
            "state": str(delhi.id),
            "date": "2026-12-31",
            "name_en": "X",
            "name_hi": "X",
            "csrf_token": auth.csrf("/admin/holidays/new/"),
        },
    )
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)


@pytest.mark.db
def test_an_account_is_found_by_its_email_in_any_case_through_an_indexed_key(app, ctx):
    """Sign-in, the login lock and resets look accounts up by `email_key` (equality, indexed),
    not by a case-insensitive regex that would read every account."""
    from app.models import User
    from app.security import datastore
    from app.services.accounts import backfill_email_keys

    user = datastore.create_user(
        email="Mixed.Case@Example.org", password="x", fs_uniquifier="mixed-case-1"
    )
    assert user.email_key == "mixed.case@example.org"
    found = datastore.find_user(case_insensitive=True, email=" MIXED.case@example.ORG ")
    assert found is not None and found.id == user.id
    assert "email_key" in User._meta["indexes"]
    # An account written before the key existed gets it from `flask seed`.
    User.objects(id=user.id).update_one(unset__email_key=True)
    assert datastore.find_user(case_insensitive=True, email="mixed.case@example.org") is None
    assert backfill_email_keys() == 1
    assert datastore.find_user(case_insensitive=True, email="mixed.case@example.org").id == user.id
