"""The whole system in separate processes: web workers, Celery worker and beat, FerretDB, Redis."""

import os
import re
import uuid
from pathlib import Path

import requests

from app.services.seed import demo_accounts

from live import wait_for

DEMO = {row["email"].split("@")[0]: row for row in demo_accounts()}


def test_healthz_reports_every_part_ok_with_a_worker(base_url):
    response = requests.get(base_url + "/healthz", timeout=10)
    body = response.json()
    assert response.status_code == 200, body
    assert body["mongo"] == "ok" and body["redis"] == "ok" and body["workers"] >= 1


def test_registration_email_is_delivered_by_the_celery_worker(browser, mongo, reset_rate_limits):
    """Register on the web; the worker process delivers the email; confirm; log in."""
    email = f"citizen-{uuid.uuid4().hex[:8]}@mail.co.in"
    response = browser.post_form(
        "/register",
        {
            "full_name": "Integration Citizen",
            "email": email,
            "mobile": "9876500000",
            "home_state": "HR",
            "password": "Str0ng#Passw0rd",
            "password_confirm": "Str0ng#Passw0rd",
            "applicant_type": "citizen",
            "organisation_kind": "",
            "organisation_name": "",
        },
    )
    assert response.status_code == 302, response.text[-500:]
    message = wait_for(lambda: mongo.outbox.find_one({"to": email, "status": "sent"}), timeout=30)
    assert message is not None, "the worker did not deliver the confirmation email"
    assert message["attempts"] == 1
    link = re.search(r"https?://\S+/confirm/\S+", message["body_text"]).group(0)
    assert browser.session.get(link, timeout=10).status_code == 200
    token = link.rsplit("/", 1)[1]
    access_log = Path(os.environ["VAR_DIR"], "log", "access.log")
    assert wait_for(lambda: "/confirm/…" in access_log.read_text(encoding="utf-8"), timeout=5)
    assert token not in access_log.read_text(encoding="utf-8")
    assert browser.login(email, "Str0ng#Passw0rd").status_code == 302
    assert browser.get("/dashboard").status_code == 200


def test_a_copied_cookie_dies_at_logout_on_every_web_worker(base_url, browser, reset_rate_limits):
    account = DEMO["citizen"]
    assert browser.login(account["email"], account["password"]).status_code == 302
    copied = dict(browser.session.cookies)
    assert browser.get("/dashboard").status_code == 200
    token = browser.csrf("/dashboard")
    assert (
        browser.session.post(
            base_url + "/logout", data={"csrf_token": token}, allow_redirects=False, timeout=10
        ).status_code
        == 302
    )
    # Several requests, so more than one gunicorn worker sees the replayed cookie.
    for _ in range(6):
        replay = requests.get(
            base_url + "/dashboard", cookies=copied, allow_redirects=False, timeout=10
        )
        assert replay.status_code == 302 and "/login" in replay.headers["Location"]


def test_api_token_works_across_web_workers(base_url, reset_rate_limits):
    account = DEMO["sho.sector29"]
    response = requests.post(
        base_url + "/login?include_auth_token",
        json={"email": account["email"], "password": account["password"]},
        timeout=10,
    )
    assert response.status_code == 200
    token = response.json()["response"]["user"]["authentication_token"]
    for _ in range(6):
        page = requests.get(
            base_url + "/dashboard",
            headers={"Authentication-Token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert page.status_code == 200


def test_failed_logins_are_limited_across_web_workers(browser, reset_rate_limits):
    """The counter lives in Redis, so spreading attempts over workers does not reset it."""
    statuses = [
        browser.login(DEMO["citizen"]["email"], "wrong-password!").status_code for _ in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]


def test_state_admin_sees_only_their_state_in_the_live_admin(browser, reset_rate_limits):
    account = DEMO["admin.delhi"]
    assert browser.login(account["email"], account["password"]).status_code == 302
    page = browser.get("/admin/stations/").text
    assert "DL-ND-CP" in page and "HR-GGM-SEC29" not in page


def test_security_headers_come_through_gunicorn(base_url):
    response = requests.get(base_url + "/", timeout=10)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
