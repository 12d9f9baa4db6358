"""Issue 11's hardening, item by item, through HTTP: each test failed before its fix."""

import re

from app.models import OutboxMessage

from conftest import DEMO


def _last_mail(app, email):
    with app.app_context():
        return OutboxMessage.objects(to=email).order_by("-created_at").first()


# 1. Links follow PUBLIC_BASE_URL, never the Host header; unknown hosts are refused -------------


def test_forged_host_is_refused_before_any_view(client):
    response = client.get("/reset", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"unknown host" in response.data


def test_reset_mail_links_to_the_public_address_whatever_the_host(client, auth, app):
    """A reset asked through another allowed host still mails a link on PUBLIC_BASE_URL."""
    app.config["PUBLIC_BASE_URL"] = "https://police.example.gov.in"
    app.config["TRUSTED_HOSTS"] = ["localhost", "police.example.gov.in", "internal.lan"]
    email = DEMO["citizen"]["email"]
    page = client.get("/reset", headers={"Host": "internal.lan"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/reset",
        data={"email": email, "csrf_token": token},
        headers={"Host": "internal.lan"},
    )
    assert response.status_code in (200, 302)
    message = _last_mail(app, email)
    assert message is not None
    links = re.findall(r"https?://[^\s\"'<>]+/reset/\S+", message.body_text)
    assert links and all(link.startswith("https://police.example.gov.in/reset/") for link in links)
    assert "internal.lan" not in message.body_text + (message.body_html or "")


# 2. Authority is checked per posting, not per person ---------------------------------------


def _post_admin_form(client, path, data):
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(path, data=dict(data, csrf_token=token))


def _give_posting(app, who, role_name, station_code=None, state_code=None, approval=None):
    """A posting written straight to the database (as if approved long ago)."""
    from app.models import PoliceStation, Posting, Role, State, User
    from app.services import accounts

    with app.app_context():
        user = User.objects.get(email=DEMO[who]["email"])
        posting = Posting(user=user, role=Role.objects.get(name=role_name), approval=approval)
        if station_code:
            posting.station = PoliceStation.objects.get(code=station_code)
        else:
            posting.state = State.objects.get(code=state_code)
        posting.clean()
        posting.save()
        accounts.sync_roles(user)
        return str(posting.id)


def _report_submitted(app):
    """A tenant verification at Sector 29, verified by its officer, awaiting the SHO."""
    from app.models import ServiceRequest, User
    from app.services import workflow
    from tests.unit.test_requests import submit

    number = submit(app, "tenant_verification").get_json()["number"]
    with app.app_context():
        officer = User.objects.get(email=DEMO["officer.sector29"]["email"])
        request = ServiceRequest.objects.get(number=number)
        request = workflow.apply_transition(request, "accept", officer)
        workflow.apply_transition(request, "submit_report", officer, "Verified at the address.")
    return number


def test_an_sho_posting_elsewhere_gives_no_power_over_this_station(catalogue_seeded):
    """The reported attack: a state admin with an SHO posting at NIT Kotwali approves Sector
    29's verification. Her state posting lets her see it; only an SHO posting there may decide."""
    from app.models import IssuedDocument, ServiceRequest
    from tests.unit.test_requests import token_client

    app = catalogue_seeded
    number = _report_submitted(app)
    _give_posting(app, "admin.haryana", "sho", "HR-FBD-NITK")
    client, headers = token_client(app, "admin.haryana")
    detail = client.get(f"/api/v1/requests/{number}", headers=headers)
    assert detail.status_code == 200 and detail.get_json()["actions"] == []
    response = client.post(
        f"/api/v1/requests/{number}/transitions", headers=headers, json={"action": "approve"}
    )
    assert response.status_code == 403
    with app.app_context():
        assert ServiceRequest.objects.get(number=number).status != "verified"
        assert IssuedDocument.objects.count() == 0
    # The Sector 29 SHO still can.
    client, headers = token_client(app, "sho.sector29")
    response = client.post(
        f"/api/v1/requests/{number}/transitions", headers=headers, json={"action": "approve"}
    )
    assert response.status_code == 200


def test_an_officer_posted_elsewhere_cannot_be_assigned_here(catalogue_seeded):
    from app.models import ServiceRequest, User
    from app.services import workflow
    from tests.unit.test_requests import submit

    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    # The NIT Kotwali officer is also the state's auditor: he sees Sector 29's request and holds
    # the station_officer role, but not at Sector 29.
    _give_posting(app, "officer.nitkotwali", "auditor", state_code="HR")
    with app.app_context():
        sho = User.objects.get(email=DEMO["sho.sector29"]["email"])
        officer = User.objects.get(email=DEMO["officer.nitkotwali"]["email"])
        request = ServiceRequest.objects.get(number=number)
        try:
            workflow.assign(request, officer, sho)
        except workflow.TransitionNotAllowed:
            pass
        else:
            raise AssertionError("an officer of another station was assigned")


def test_an_administrator_cannot_post_herself_alone(client, auth, app):
    """Her own SHO posting waits, inactive, for a second administrator; every change says why."""
    from app.models import AuditEvent, PoliceStation, Posting, Role, User
    from app.services import accounts

    with app.app_context():
        admin = User.objects.get(email=DEMO["admin.haryana"]["email"])
        form = {
            "user": str(admin.id),
            "role": str(Role.objects.get(name="sho").id),
            "station": str(PoliceStation.objects.get(code="HR-GGM-SEC29").id),
            "active": "y",
            "designation": "SHO",
        }
    auth.login("admin.haryana")
    without_reason = _post_admin_form(client, "/admin/postings/new/", form)
    assert without_reason.status_code == 200  # the form again, with its error
    with app.app_context():
        assert Posting.objects(user=admin.id, role=Role.objects.get(name="sho").id).count() == 0
    _post_admin_form(client, "/admin/postings/new/", dict(form, reason="Acting SHO for a week"))
    with app.app_context():
        posting = Posting.objects.get(user=admin.id, role=Role.objects.get(name="sho").id)
        assert posting.approval == "pending" and not posting.in_force
        assert "sho" not in {r.name for r in User.objects.get(id=admin.id).roles}
        event = AuditEvent.objects(action="posting.create").first()
        assert event.actor.id == admin.id and event.details["reason"] == "Acting SHO for a week"
        try:
            accounts.decide_posting(posting, admin, approve=True)
        except accounts.AccountError:
            pass
        else:
            raise AssertionError("she approved her own posting")
        # A second administrator of Haryana approves it.
        second = accounts.new_staff_user(email="admin2.haryana@demo.police.example", full_name="B")
        state_admin = Posting(
            user=second, role=Role.objects.get(name="state_admin"), state=admin.state
        )
        state_admin.clean()
        state_admin.save()
        accounts.sync_roles(second)
        accounts.decide_posting(Posting.objects.get(id=posting.id), second, approve=True)
        assert Posting.objects.get(id=posting.id).in_force
        assert "sho" in {r.name for r in User.objects.get(id=admin.id).roles}
