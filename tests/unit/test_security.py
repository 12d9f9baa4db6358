"""The security basics: CSRF, logout replay, rate limits, enumeration, headers, cookies, 2FA."""

import re

from app.models import AuditEvent, User, UserSession

from conftest import DEMO


def test_login_form_without_csrf_token_is_refused(client):
    """A form POST to /login without a token is a 400 and logs nobody in."""
    account = DEMO["citizen"]
    response = client.post(
        "/login", data={"email": account["email"], "password": account["password"]}
    )
    assert response.status_code == 400
    assert client.get("/dashboard").status_code == 302


def test_admin_post_without_csrf_token_is_refused(client, auth):
    """Even a state administrator's admin form POST needs the token."""
    auth.login("admin.haryana")
    response = client.post(
        "/admin/holidays/new/", data={"name_en": "X", "name_hi": "X", "date": "2026-12-31"}
    )
    assert response.status_code == 400


def test_logout_kills_a_copied_session_cookie(client, auth, app):
    """A cookie copied before logout no longer works after it."""
    auth.login("citizen")
    assert client.get("/dashboard").status_code == 200
    copied = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    assert thief.get("/dashboard").status_code == 302


def test_logout_deletes_the_server_side_session(client, auth, app):
    auth.login("citizen")
    with app.app_context():
        assert UserSession.objects.count() == 1
    auth.logout()
    with app.app_context():
        assert UserSession.objects.count() == 0


def test_repeated_failed_logins_get_429(client, auth, app):
    """After the configured number of attempts the login endpoint answers 429."""
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    statuses = [auth.login("citizen", password="wrong-password-1").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]


def test_unknown_email_and_wrong_password_answer_alike(client, auth):
    """No account enumeration: the same status and message for both failures."""
    token = auth.csrf()
    unknown = client.post(
        "/login",
        data={"email": "nobody@example.com", "password": "Whatever#123", "csrf_token": token},
    )
    wrong = client.post(
        "/login",
        data={"email": DEMO["citizen"]["email"], "password": "Whatever#123", "csrf_token": token},
    )
    assert unknown.status_code == wrong.status_code == 200

    def errors(response):
        return re.findall(r'class="field-error"[^>]*>([^<]+)<', response.get_data(as_text=True))

    assert errors(unknown) == errors(wrong) and errors(unknown)


def test_json_login_answers_alike_for_unknown_email(client):
    unknown = client.post(
        "/login", json={"email": "nobody@example.com", "password": "Whatever#123"}
    )
    wrong = client.post(
        "/login", json={"email": DEMO["citizen"]["email"], "password": "Whatever#123"}
    )
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.get_json()["response"]["errors"] == wrong.get_json()["response"]["errors"]


def test_json_login_returns_a_token_that_authenticates(client, app):
    """DESIGN.md's API login: JSON body and include_auth_token, then the token header."""
    account = DEMO["sho.sector29"]
    response = client.post(
        "/login?include_auth_token",
        json={"email": account["email"], "password": account["password"]},
    )
    assert response.status_code == 200
    token = response.get_json()["response"]["user"]["authentication_token"]
    fresh = app.test_client()
    assert fresh.get("/dashboard", headers={"Authentication-Token": token}).status_code == 200
    assert fresh.get("/dashboard").status_code == 302


def test_security_headers_and_csp_without_inline_script(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)


def test_no_page_carries_inline_script_or_handlers(client, auth):
    """Portal, account and admin pages work under the CSP: no inline scripts or on* handlers."""
    pages = ["/", "/login", "/register", "/stations", "/reset", "/confirm"]
    bodies = [client.get(p).get_data(as_text=True) for p in pages]
    auth.login("admin.haryana")
    for path in [
        "/admin/",
        "/admin/organisations/",
        "/admin/holidays/",
        "/admin/postings/new/",
        "/dashboard",
        "/tf-setup",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        bodies.append(response.get_data(as_text=True))
    for body in bodies:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
        assert not re.search(r"\son(click|load|submit|change)=", body)


def test_session_cookie_flags(client, auth, app):
    app.config.update(SESSION_COOKIE_SECURE=True)
    response = auth.login("citizen")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("pcs_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_logins_and_logouts_leave_audit_events(client, auth, app):
    auth.login("citizen")
    auth.logout()
    with app.app_context():
        user = User.objects.get(email=DEMO["citizen"]["email"])
        assert AuditEvent.objects(action="login", actor=user).count() == 1
        assert AuditEvent.objects(action="logout", actor=user).count() == 1


def test_state_admin_must_enrol_in_two_factor_when_required(client, auth, app):
    """Under the production rule, a state administrator is sent to TOTP enrolment first."""
    app.config["REQUIRE_TWO_FACTOR_ROLES"] = ["state_admin"]
    auth.login("admin.haryana")
    response = client.get("/admin/")
    assert response.status_code == 302 and "/tf-setup" in response.headers["Location"]
    assert client.get("/tf-setup").status_code == 200


def test_other_staff_are_not_forced_into_two_factor(client, auth, app):
    app.config["REQUIRE_TWO_FACTOR_ROLES"] = ["state_admin"]
    auth.login("sho.sector29")
    assert client.get("/admin/").status_code == 200


def test_totp_setup_is_offered_to_staff(client, auth):
    auth.login("officer.sector29")
    page = client.get("/tf-setup").get_data(as_text=True)
    assert 'value="authenticator"' in page


def test_open_redirects_are_refused_by_the_language_switch(client, auth):
    token = auth.csrf("/")
    response = client.post(
        "/language", data={"language": "hi", "next": "https://evil.example/", "csrf_token": token}
    )
    assert response.headers["Location"] == "/"


def test_login_email_is_case_insensitive(client, auth):
    account = DEMO["citizen"]
    response = client.post(
        "/login",
        data={
            "email": account["email"].upper(),
            "password": account["password"],
            "csrf_token": auth.csrf(),
        },
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_passwords_are_stored_with_argon2_outside_tests(app):
    """The real configuration hashes with argon2 (the unit tier uses plaintext for speed)."""
    from app import create_app

    real = create_app(
        "development",
        {"MONGODB_URI": app.config["MONGODB_URI"], "MONGODB_CLIENT": app.config["MONGODB_CLIENT"]},
    )
    with real.app_context():
        from flask_security import hash_password, verify_password

        hashed = hash_password("Str0ng#Passw0rd")
        assert hashed.startswith("$argon2")
        assert verify_password("Str0ng#Passw0rd", hashed)
        assert not verify_password("wrong", hashed)
