"""Issue 11's hardening, item by item, through HTTP: each test failed before its fix."""

import re

import pytest

from app.models import OutboxMessage

from conftest import DEMO

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.


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
        workflow.apply_transition(
            request,
            "submit_report",
            officer,
            "Verified at the address.",
            report={"visited_on": "2026-11-30", "finding": "verified"},
        )
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


# 3. API tokens die at logout, at a password change and when idle; never in the URL ------------


def _token(client, who="citizen"):
    account = DEMO[who]
    response = client.post(
        "/login?include_auth_token",
        json={"email": account["email"], "password": account["password"]},
    )
    return response.get_json()["response"]["user"]["authentication_token"]


def test_a_token_dies_at_logout(app):
    client = app.test_client()
    token = _token(client)
    headers = {"Authentication-Token": token}
    assert client.get("/api/v1/notifications", headers=headers).status_code == 200
    assert client.post("/logout", headers=headers, json={}).status_code == 200
    assert app.test_client().get("/api/v1/notifications", headers=headers).status_code == 401


def test_a_token_dies_at_a_password_change(app):
    client = app.test_client()
    token = _token(client)
    headers = {"Authentication-Token": token}
    response = client.post(
        "/change",
        headers=headers,
        json={
            "password": DEMO["citizen"]["password"],
            "new_password": "Another#Passphrase-2026",
            "new_password_confirm": "Another#Passphrase-2026",
        },
    )
    assert response.status_code == 200, response.get_json()
    assert app.test_client().get("/api/v1/notifications", headers=headers).status_code == 401


def test_a_token_in_the_url_is_refused(app):
    token = _token(app.test_client())
    response = app.test_client().get(f"/api/v1/notifications?auth_token={token}")
    assert response.status_code == 400


def test_an_idle_token_and_an_idle_session_die(app, auth, client):
    from datetime import UTC, datetime, timedelta

    from app.models import ApiToken, UserSession

    token = _token(app.test_client())
    auth.login("citizen")
    assert client.get("/dashboard").status_code == 200
    long_ago = datetime.now(UTC) - timedelta(minutes=31)
    with app.app_context():
        ApiToken.objects.update(set__last_used_at=long_ago)
        UserSession.objects.update(set__last_seen_at=long_ago)
    headers = {"Authentication-Token": token}
    assert app.test_client().get("/api/v1/notifications", headers=headers).status_code == 401
    assert client.get("/dashboard").status_code == 302


def test_tokens_in_query_strings_are_cut_from_access_logs():
    from app.gunicorn_logging import redact

    assert redact("GET /api/v1/requests?auth_token=WyJ1c2Vy.abc&x=1") == (
        "GET /api/v1/requests?auth_token=…&x=1"
    )


# 4. The auditor is read-only everywhere ------------------------------------------------------

# Bookkeeping any signed-in person writes for themselves: their session, their tokens, the audit
# trail, claims taken by refused attempts, their own notifications' read marks and the exports
# they run of what they may already read.
BOOKKEEPING = {
    "audit_events",
    "user_sessions",
    "api_tokens",
    "claims",
    "notifications",
    "export_jobs",
    "login_throttles",
}


def _snapshot(app):
    from app import db

    with app.app_context():
        database = db.database()
        return {
            name: sorted(repr(sorted(doc.items())) for doc in database[name].find())
            for name in database.list_collection_names()
            if name not in BOOKKEEPING
        }


def _world(app):
    """Demo requests, FIRs, register entries, seniors; one id of each kind for URL parameters."""
    from app.models import (
        Appeal,
        Fir,
        IssuedDocument,
        RegisterEntry,
        SeniorCitizen,
        ServiceRequest,
        User,
    )
    from app.services import seed

    with app.app_context():
        seed.seed_all(include_demo_users=True, include_demo_requests=True)
        request = ServiceRequest.objects(closed_at=None).first()
        document = IssuedDocument.objects.first()
        appeal = Appeal.objects.first()
        return {
            "request_id": str(request.id),
            "number": request.number,
            "fir_id": str(Fir.objects.first().id),
            "entry_id": str(RegisterEntry.objects.first().id),
            "senior_id": str(SeniorCitizen.objects.first().id),
            "key": appeal.key if appeal else "none",
            "document_code": document.code if document else "none",
            "officer": str(User.objects.get(email=DEMO["officer.sector29"]["email"]).id),
            "version": str(request.version),
        }


def _url(rule, world):
    values = {}
    for name in rule.arguments:
        if name == "code":
            values[name] = (
                world["document_code"] if "revoke" in rule.rule else "tenant_verification"
            )
        elif name in world:
            values[name] = world[name]
        else:
            values[name] = "x"
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def test_the_auditor_changes_nothing_through_any_write_path(catalogue_seeded, client, auth):
    """Every POST and PUT in the URL map, as the auditor, with plausible bodies: no change."""
    app = catalogue_seeded
    world = _world(app)
    auth.login("auditor.haryana")
    token = auth.csrf("/dashboard")
    before = _snapshot(app)  # after the login, which records itself on the account
    skip = {"security.logout"}
    tried = 0
    for rule in app.url_map.iter_rules():
        methods = rule.methods & {"POST", "PUT"}
        if not methods or rule.endpoint in skip or rule.endpoint.startswith("dev."):
            continue
        url = _url(rule, world)
        for action in ("accept", "approve", "allow"):
            form = {
                "csrf_token": token,
                "action": action,
                "text": "An auditor's note",
                "remark": "Reasons given",
                "reason": "Reasons given",
                "outcome": "allowed",
                "officer": world["officer"],
                "version": world["version"],
                "rowid": [world["request_id"], world["entry_id"]],
                "kind": "investigation",
                "score": "1",
                "at": "2026-11-30T10:00",
                "name_en": "Changed",
                "name_hi": "Changed",
            }
            for method in methods:
                client.open(url, method=method, data=form)
                client.open(url, method=method, json={"action": action, "remark": "R"})
                tried += 1
    assert tried > 100
    after = _snapshot(app)
    changed = sorted(
        name for name in set(before) | set(after) if before.get(name) != after.get(name)
    )
    assert changed == []


def test_the_auditor_is_not_offered_the_note_form(catalogue_seeded, client, auth):
    app = catalogue_seeded
    world = _world(app)
    auth.login("auditor.haryana")
    page = client.get(f"/admin/requests/details/?id={world['request_id']}").get_data(as_text=True)
    assert world["number"] in page and "/admin/requests/note/" not in page
    response = client.post(
        f"/admin/requests/note/{world['request_id']}",
        data={"text": "x", "csrf_token": auth.csrf("/dashboard")},
    )
    assert response.status_code == 403


# 10. No GET changes state: /tf-validate does not log anyone out --------------------------------


def test_a_get_of_tf_validate_does_not_log_the_user_out(client, auth):
    auth.login("citizen")
    assert client.get("/dashboard").status_code == 200
    response = client.get("/tf-validate")
    assert response.status_code in (302, 400)
    assert client.get("/dashboard").status_code == 200


def test_no_get_anywhere_changes_anything(catalogue_seeded, client, auth):
    """Every GET route, as a citizen and as an SHO, leaves the data as it was."""
    app = catalogue_seeded
    world = _world(app)
    for who in ("citizen", "sho.sector29"):
        auth.login(who)
        before = _snapshot(app)
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint.startswith(("dev.", "static")):
                continue
            client.get(_url(rule, world))
        after = _snapshot(app)
        changed = sorted(n for n in set(before) | set(after) if before.get(n) != after.get(n))
        assert changed == [], who
        auth.logout()


# 5. Per-account brute-force protection ----------------------------------------------------------


@pytest.mark.db
def test_failures_on_one_account_from_many_addresses_lock_it_for_a_while(app):
    from datetime import UTC, datetime, timedelta

    from app.models import AuditEvent, LoginThrottle, User

    email = DEMO["citizen"]["email"]
    statuses = []
    for attempt in range(7):
        client = app.test_client()
        response = client.post(
            "/login",
            json={"email": email, "password": f"wrong-{attempt}-password"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{attempt + 1}"},
        )
        statuses.append(response.status_code)
    assert statuses[:6] == [400] * 6 and statuses[6] == 429
    # Even the right password waits out the lock, and the owner was told once.
    right = app.test_client().post(
        "/login", json={"email": email, "password": DEMO["citizen"]["password"]}
    )
    assert right.status_code == 429 and int(right.headers["Retry-After"]) <= 15 * 60
    message = _last_mail(app, email)
    assert message is not None and message.template == "login_locked"
    with app.app_context():
        user = User.objects.get(email=email)
        failures = AuditEvent.objects(action="login_failed", object_id=str(user.id))
        assert failures.count() == 6 and {e.ip for e in failures} == {
            f"10.0.0.{n}" for n in range(1, 7)
        }
        # Locks end: never more than fifteen minutes, whatever the count.
        LoginThrottle.objects.update(set__locked_until=datetime.now(UTC) - timedelta(seconds=1))
    again = app.test_client().post(
        "/login", json={"email": email, "password": DEMO["citizen"]["password"]}
    )
    assert again.status_code == 200


def test_an_unknown_account_is_locked_the_same_way(app):
    statuses = [
        app.test_client()
        .post("/login", json={"email": "nobody@mail.co.in", "password": f"wrong-{n}-password"})
        .status_code
        for n in range(7)
    ]
    assert statuses[:6] == [400] * 6 and statuses[6] == 429


# 13. The audit trail: client, refusals, identity views, a hash chain, retention ---------------


@pytest.mark.db
def test_audit_events_carry_the_client_and_refusals_are_recorded(catalogue_seeded, client, auth):
    from app.models import AuditEvent

    app = catalogue_seeded
    world = _world(app)
    auth.login("officer.cp")  # Delhi: Sector 29's request is out of his scope
    client.get(
        f"/admin/requests/details/?id={world['request_id']}",
        headers={"User-Agent": "Probe/1.0"},
    )
    client.get("/admin/users/", headers={"User-Agent": "Probe/1.0"})  # no staff.view: 403
    with app.app_context():
        login = AuditEvent.objects(action="login").first()
        assert login.ip == "127.0.0.1"
        refused = {e.details["status"]: e for e in AuditEvent.objects(action="access_refused")}
        assert set(refused) >= {"403", "404"}
        assert refused["404"].user_agent == "Probe/1.0"
        assert refused["404"].details["path"] == "/admin/requests/details/"


def test_an_officer_opening_an_identity_number_or_document_is_recorded(catalogue_seeded, auth):
    from app.models import AuditEvent, ServiceRequest
    from tests.unit.test_requests import submit

    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    client = app.test_client()
    auth = type(auth)(client)
    auth.login("officer.sector29")
    with app.app_context():
        request = ServiceRequest.objects.get(number=number)
        rid, field = str(request.id), request.attachments[0].field
    client.get(f"/admin/requests/details/?id={rid}")
    assert client.get(f"/admin/requests/file/{rid}/{field}").status_code == 200
    with app.app_context():
        assert AuditEvent.objects(action="identity.viewed", object_id=rid).count() == 1
        viewed = AuditEvent.objects.get(action="attachment.viewed", object_id=rid)
        assert viewed.details["field"] == field and viewed.actor is not None


@pytest.mark.db
def test_the_chain_finds_a_changed_or_deleted_event_and_survives_the_purge(app):
    from datetime import UTC, datetime, timedelta

    from app.models import AuditEvent
    from app.services import audit, audit_chain

    with app.app_context():
        long_ago = datetime.now(UTC) - timedelta(days=400)
        for n in range(10):
            event = audit.record("test.event", n=n)
            if n < 4:
                AuditEvent.objects(id=event.id).update_one(set__at=long_ago + timedelta(hours=n))
        assert audit_chain.seal() == AuditEvent.objects.count()
        assert audit_chain.verify().ok
        # The retention purge removes the old ones and the rest still verifies.
        assert audit_chain.purge(366) == 4
        verdict = audit_chain.verify()
        assert verdict.ok and verdict.checked == AuditEvent.objects.count()
        # A changed event is the first broken link.
        victim = AuditEvent.objects(action="test.event").order_by("chain_index")[2]
        AuditEvent.objects(id=victim.id).update_one(set__details={"n": "999"})
        verdict = audit_chain.verify()
        assert not verdict.ok and verdict.broken_at == victim.chain_index
        assert verdict.event_id == str(victim.id)
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 1 and f"broken at index {victim.chain_index}" in result.output
    with app.app_context():
        AuditEvent.objects(id=victim.id).update_one(set__details={"n": str(6)})
        assert audit_chain.verify().ok
        AuditEvent.objects(id=victim.id).delete()
        assert audit_chain.verify().broken_at == victim.chain_index


# 6. Guessable passwords are refused, and the form says why, in Hindi too ----------------------


def test_a_common_password_is_refused_with_the_reason_in_the_page_language(client):
    page = client.get("/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {
        "email": "new.person@mail.co.in",
        "password": "password123",
        "password_confirm": "password123",
        "full_name": "New Person",
        "mobile": "9876501234",
        "home_state": "HR",
        "applicant_type": "citizen",
        "csrf_token": token,
    }
    response = client.post("/register", data=form)
    text = response.get_data(as_text=True)
    assert "too easy to guess" in text and "very common password" in text
    client.post("/language", data={"language": "hi", "csrf_token": token, "next": "/register"})
    page = client.get("/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    hindi = client.post("/register", data=dict(form, csrf_token=token)).get_data(as_text=True)
    assert "too easy to guess" not in hindi and "अनुमान" in hindi


# 7. No 500 on any input: every route, every shape that crashed ----------------------------------

SHAPES = {
    "lone surrogate": (
        "json",
        b'{"email": "\\ud800", "text": "\\ud800", "data": {"x": "\\ud800"}}',
    ),
    "surrogate key": ("json", b'{"\\udfff": 1}'),
    "deep nesting": ("json", b"[" * 5000 + b"]" * 5000),
    "deep object": ("json", b'{"a":' * 5000 + b"1" + b"}" * 5000),
    "bare number": ("json", b"5"),
    "bare string": ("json", b'"login"'),
    "invalid json": ("json", b"{nope"),
    "nul in a form": ("form", b"text=a%00b&email=x%00%40y.in&remark=%00"),
}
QUERIES = ["page=-1", "page=x", "page=99999999999", "after=" + "9" * 40, "limit=-5", "q=%00"]
# What the server itself may refuse where mongomock does not (PostgreSQL stores neither NUL nor a
# lone surrogate, and its integers end at 2**63): on FerretDB the crawl sends only these; the
# others are refused by the parsers and views before any query, which mongomock shows as well.
FOR_THE_SERVER = ("lone surrogate", "surrogate key", "nul in a form", "page=99999999999", "q=%00")


def _fuzz_routes(app, client, world, on_server=False):
    """(url, method, shape, status) for every route and shape that answered 5xx."""
    shapes = {k: v for k, v in SHAPES.items() if not on_server or k in FOR_THE_SERVER}
    queries = [q for q in QUERIES if not on_server or q in FOR_THE_SERVER]
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("static", "dev.")) or rule.endpoint in (
            "security.logout",
            "health.healthz",  # 503 is its contract while no worker runs (none in unit tests)
            "metrics.readyz",  # 503 is its contract while Redis is away (none in unit tests)
        ):
            continue
        url = _url(rule, world)
        for method in sorted(rule.methods & {"GET", "POST", "PUT"}):
            for query in queries:
                status = client.open(f"{url}?{query}", method=method).status_code
                if status >= 500:
                    failures.append((url, method, query, status))
            if method == "GET":
                continue
            for name, (kind, body) in shapes.items():
                content_type = (
                    "application/json" if kind == "json" else "application/x-www-form-urlencoded"
                )
                status = client.open(
                    url, method=method, data=body, content_type=content_type
                ).status_code
                if status >= 500:
                    failures.append((url, method, name, status))
    return failures


@pytest.mark.db
def test_no_route_answers_5xx_to_malformed_input(catalogue_seeded, auth, request):
    app = catalogue_seeded
    world = _world(app)
    on_server = request.config.getoption("--db") == "ferretdb"
    anonymous = app.test_client()
    assert _fuzz_routes(app, anonymous, world, on_server) == []
    signed_in = app.test_client()
    type(auth)(signed_in).login("sho.sector29")
    assert _fuzz_routes(app, signed_in, world, on_server) == []


def test_a_bad_json_shape_is_a_400_that_says_why(app):
    client = app.test_client()
    response = client.post("/login", data=b"5", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"body": "The JSON body must be an object."}
    response = client.post(
        "/api/v1/requests", data=b'{"data": {"name": "\\ud800"}}', content_type="application/json"
    )
    assert response.status_code == 400 and "data.name" in response.get_json()["errors"]


def test_a_login_while_redis_is_down_is_a_clear_503(app):
    """Fail closed: the per-address limits cannot be checked, so nobody is let in unchecked."""
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/0"
    from app import create_app

    down = create_app(
        "testing",
        {
            "MONGODB_URI": app.config["MONGODB_URI"],
            "MONGODB_CLIENT": app.config["MONGODB_CLIENT"],
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
        },
    )
    response = down.test_client().post(
        "/login", json={"email": DEMO["citizen"]["email"], "password": DEMO["citizen"]["password"]}
    )
    assert response.status_code == 503
    assert "unavailable" in response.get_json()["error"]


@pytest.mark.db
def test_every_admin_list_filter_answers_on_requests_and_audit(catalogue_seeded, client, auth):
    """The "contains" filters sent a regex FerretDB refuses (run on FerretDB by make test)."""
    app = catalogue_seeded
    _world(app)
    auth.login("admin.haryana")
    admin = app.extensions["admin"][0]
    views = {view.endpoint: view for view in admin._views}
    tried = 0
    for endpoint in ("requests", "audit", "postings"):
        view = views[endpoint]
        with app.test_request_context():
            count = len(view._filters or [])
        for index in range(count):
            response = client.get(f"/admin/{endpoint}/?flt0_{index}=ab")
            assert response.status_code == 200, (endpoint, index)
            tried += 1
    assert tried > 10


# 8. Uploads: a daily quota, orphans purged, no EXIF or GPS kept, checked again when served ----


def _jpeg_with_gps():
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (28.0, 27.0, 36.0), 3: "E", 4: (77.0, 2.0, 24.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", (32, 16), (200, 30, 30)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_uploaded_photos_lose_their_location_and_camera_metadata(app):
    import io

    from PIL import Image

    from tests.unit.test_requests import token_client

    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    client, headers = token_client(app, "citizen")
    response = client.post(
        "/api/v1/uploads", headers=headers, data={"file": (io.BytesIO(original), "me.jpg")}
    )
    assert response.status_code == 201
    with app.app_context():
        from app.services import uploads

        with open(uploads.checked_path(response.get_json()["id"]), "rb") as handle:
            stored = Image.open(io.BytesIO(handle.read()))
        assert stored.size == (32, 16) and not stored.getexif() and "exif" not in stored.info


@pytest.mark.db
def test_an_uploader_has_a_daily_quota(app):
    import io

    from tests.helpers.service_data import PDF
    from tests.unit.test_requests import token_client

    app.config["UPLOAD_DAILY_FILES"] = 3
    client, headers = token_client(app, "citizen")
    statuses = [
        client.post(
            "/api/v1/uploads", headers=headers, data={"file": (io.BytesIO(PDF), "a.pdf")}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 400]
    refused = client.post(
        "/api/v1/uploads", headers=headers, data={"file": (io.BytesIO(PDF), "a.pdf")}
    )
    assert "one day allows" in refused.get_json()["errors"]["file"]


@pytest.mark.db
def test_orphan_uploads_go_after_a_day_and_attached_ones_stay(catalogue_seeded):
    import io
    import os
    from datetime import UTC, datetime, timedelta

    from app.models import Upload, User
    from app.services import uploads
    from tests.helpers.service_data import PDF
    from tests.unit.test_requests import submit

    app = catalogue_seeded
    submit(app, "tenant_verification")  # its uploads are attached
    with app.app_context():
        citizen = User.objects.get(email=DEMO["citizen"]["email"])
        orphan = uploads.store(io.BytesIO(PDF), "never-used.pdf", citizen)
        path = uploads.path_of(orphan.file_id)
        attached = Upload.objects(attached_to__ne=None).count()
        assert attached > 0 and uploads.purge_orphans() == 0  # not a day old yet
        later = datetime.now(UTC) + timedelta(days=1, minutes=1)
        assert uploads.purge_orphans(now=later) == 1
        assert not os.path.exists(path) and Upload.objects(file_id=orphan.file_id).count() == 0
        assert Upload.objects(attached_to__ne=None).count() == attached


def test_a_file_changed_on_disk_is_not_served(catalogue_seeded, client, auth):
    from app.models import ServiceRequest
    from app.services import uploads
    from tests.unit.test_requests import submit

    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    with app.app_context():
        request = ServiceRequest.objects.get(number=number)
        rid, attachment = str(request.id), request.attachments[0]
        path = uploads.path_of(attachment.file_id)
    auth.login("officer.sector29")
    assert client.get(f"/admin/requests/file/{rid}/{attachment.field}").status_code == 200
    with open(path, "ab") as handle:
        handle.write(b"<script>alert(1)</script>")
    assert client.get(f"/admin/requests/file/{rid}/{attachment.field}").status_code == 404


# 9. Personal pages are never cached -----------------------------------------------------------


def test_personal_pages_admin_api_and_pdfs_say_no_store(catalogue_seeded, client, auth):
    from tests.unit.test_requests import submit

    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    for path in ("/login", "/register", "/reset"):
        assert client.get(path).headers["Cache-Control"] == "no-store, private", path
    auth.login("citizen")
    for path in (
        "/dashboard",
        f"/my/requests/{number}",
        f"/my/requests/{number}/acknowledgement.pdf",
        "/api/v1/requests",
        "/change",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store, private", path
    auth.logout()
    auth.login("officer.sector29")
    assert client.get("/admin/requests/").headers["Cache-Control"] == "no-store, private"
    static = client.get("/static/css/site.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


# 11. Public status: limited per address; complaints and grievances say only their stage --------


def test_the_public_status_of_a_complaint_names_no_service_or_station(catalogue_seeded):
    from tests.unit.test_requests import submit, token_client

    app = catalogue_seeded
    number = submit(app, "complaint").get_json()["number"]
    public = app.test_client().get(f"/api/v1/status/{number}").get_json()
    assert set(public) == {"number", "status_text", "final"}
    page = app.test_client().get(f"/track?number={number}").get_data(as_text=True)
    facts = re.search(r'<dl class="facts".*?</dl>', page, re.S).group(0)
    assert number in facts and "Sector 29" not in facts and "Complaint" not in facts
    client, headers = token_client(app, "citizen")
    own = client.get(f"/api/v1/status/{number}", headers=headers).get_json()
    assert own["service"] == "complaint" and own["station"]
    # Other services keep their fuller public answer.
    tenant = submit(app, "tenant_verification").get_json()["number"]
    assert app.test_client().get(f"/api/v1/status/{tenant}").get_json()["station"]


def test_public_status_searches_are_limited_per_address(catalogue_seeded):
    app = catalogue_seeded
    app.config["PUBLIC_STATUS_RATE_LIMIT"] = "5 per minute"
    client = app.test_client()
    statuses = [client.get(f"/api/v1/status/HR-2026-TEN-{n:06d}-X").status_code for n in range(7)]
    assert statuses[-1] == 429 and 429 not in statuses[:5]
    other = app.test_client()
    tracked = [
        other.get(
            "/track?number=HR-2026-TEN-000001-X", environ_base={"REMOTE_ADDR": "10.1.1.1"}
        ).status_code
        for _ in range(6)
    ]
    assert tracked[-1] == 429


# 12. /reset does the same work for an account that exists and one that does not --------------


def test_reset_queues_the_same_work_whether_or_not_the_account_exists(
    client, auth, app, monkeypatch
):
    from app.models import OutboxMessage
    from app.tasks import accounts as account_tasks

    queued = []
    monkeypatch.setattr(
        account_tasks.send_password_reset, "delay", lambda *args: queued.append(args)
    )
    responses = []
    for email in (DEMO["citizen"]["email"], "nobody@mail.co.in"):
        response = client.post("/reset", data={"email": email, "csrf_token": auth.csrf("/reset")})
        responses.append((response.status_code, response.headers.get("Location")))
    assert responses[0] == responses[1] == (302, "/reset")
    assert [args[0] for args in queued] == [DEMO["citizen"]["email"], "nobody@mail.co.in"]
    with app.app_context():
        assert OutboxMessage.objects.count() == 0  # nothing was done inside either request
        # The task itself mails only the real account.
        assert account_tasks.send_password_reset.run(DEMO["citizen"]["email"]) is True
        assert account_tasks.send_password_reset.run("nobody@mail.co.in") is False
        assert OutboxMessage.objects(to="nobody@mail.co.in").count() == 0


# 14. Durability: writes wait for a majority and the journal; reads are majority, primary -------


def test_writes_wait_for_a_majority_and_the_journal(app):
    from app import db

    options = db.durability_options(app.config)
    assert options["w"] == "majority" and options["journal"] is True
    assert options["readConcernLevel"] == "majority" and options["readPreference"] == "primary"
    if app.config["MONGODB_CLIENT"] != "mongomock":  # the real client on FerretDB (make test)
        with app.app_context():
            client = db.database().client
            assert client.write_concern.document == {"w": "majority", "j": True}
            assert client.read_concern.level == "majority"
