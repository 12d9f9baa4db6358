"""The whole system in separate processes: web workers, Celery worker and beat, FerretDB, Redis."""

import os
import re
import uuid
from pathlib import Path

import requests

from tests.helpers.live_api import DEMO, submit_grievance, token_headers

from live import wait_for


def test_healthz_reports_every_part_ok_with_a_worker(base_url):
    response = requests.get(base_url + "/healthz", timeout=10)
    body = response.json()
    assert response.status_code == 200, body
    assert body["mongo"] == "ok" and body["redis"] == "ok" and body["workers"] >= 1
    assert isinstance(body["queue"], int) and body["queue"] >= 0  # tasks waiting for a worker


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
    """The per-address counter lives in Redis, so spreading attempts over workers does not
    reset it (30 a minute: generous, for people behind one address). Each attempt names another
    account, so the per-account lock does not answer first."""
    statuses = [
        browser.login(f"nobody-{n}@mail.co.in", "wrong-password!").status_code for n in range(32)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30:] == [429, 429]


def test_failures_on_one_account_lock_it_across_web_workers(browser, reset_rate_limits):
    """The per-account count lives in the database: the sixth failure locks the name."""
    name = f"target-{uuid.uuid4().hex[:8]}@mail.co.in"
    statuses = [browser.login(name, "wrong-password!").status_code for _ in range(7)]
    assert statuses[:6] == [200] * 6 and statuses[6] == 429


def test_state_admin_sees_only_their_state_in_the_live_admin(browser, reset_rate_limits):
    account = DEMO["admin.delhi"]
    assert browser.login(account["email"], account["password"]).status_code == 302
    page = browser.get("/admin/stations/").text
    assert "DL-ND-CP" in page and "HR-GGM-SEC29" not in page


def test_security_headers_come_through_gunicorn(base_url):
    response = requests.get(base_url + "/", timeout=10)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_two_officers_acting_at_the_same_moment_one_gets_409(base_url, reset_rate_limits):
    """Real processes, real FerretDB: the compare-and-set lets exactly one of them through."""
    import threading

    from app.services.catalogue import load_file
    from app.services.service_types import SERVICE_TYPES_DIR
    from tests.helpers.service_data import BY_MIME, valid_data

    citizen = token_headers(base_url, "citizen")

    def upload(mime):
        files = {"file": ("f", BY_MIME[mime])}
        response = requests.post(
            base_url + "/api/v1/uploads", headers=citizen, files=files, timeout=10
        )
        return response.json()["id"]

    definition = load_file(Path(SERVICE_TYPES_DIR, "tenant_verification.yaml"))
    created = requests.post(
        base_url + "/api/v1/requests",
        headers=citizen,
        json={"service": "tenant_verification", "data": valid_data(definition, upload)},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    officers = [
        token_headers(base_url, "officer.sector29"),
        token_headers(base_url, "sho.sector29"),
    ]
    for _round in range(3):
        # Both officers saw version 1. Whichever request reaches the compare-and-set second, or
        # loads the request after the first has written, is answered 409.
        barrier = threading.Barrier(2)
        statuses = []

        def act(headers, target=number, barrier=barrier, statuses=statuses):
            barrier.wait()
            response = requests.post(
                f"{base_url}/api/v1/requests/{target}/transitions",
                headers=headers,
                json={"action": "accept", "version": 1},
                timeout=10,
            )
            statuses.append(response.status_code)

        threads = [threading.Thread(target=act, args=(h,)) for h in officers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [200, 409], statuses
        detail = requests.get(f"{base_url}/api/v1/requests/{number}", headers=citizen, timeout=10)
        assert [h["action"] for h in detail.json()["history"]] == ["submit", "accept"]
        number = requests.post(
            base_url + "/api/v1/requests",
            headers=citizen,
            json={"service": "tenant_verification", "data": valid_data(definition, upload)},
            timeout=10,
        ).json()["number"]


def test_a_submission_gives_the_applicant_an_in_app_notification_via_the_worker(
    base_url, mongo, reset_rate_limits
):
    """The web process saves the request; the Celery worker process writes the notification."""
    citizen = token_headers(base_url, "citizen")
    number = submit_grievance(base_url, citizen)
    found = wait_for(lambda: mongo.notifications.find_one({"number": number}), timeout=30)
    assert found is not None and number in found["text"]
    listed = requests.get(base_url + "/api/v1/notifications", headers=citizen, timeout=10).json()
    assert any(item["number"] == number for item in listed["items"])


def test_two_officers_racing_an_fir_step_one_is_refused_with_409(base_url, reset_rate_limits):
    """The FIR's steps go through the same door as a request's (services.engine): two officers
    of the station posting a step over the version both pages showed, at the same moment, through
    separate web workers: one is recorded, the other is answered 409 and records nothing."""
    import threading

    from live import Browser

    officers = []
    for name in ("officer.sector29", "sho.sector29"):
        officer = Browser(base_url)
        account = DEMO[name]
        assert officer.login(account["email"], account["password"]).status_code == 302
        officers.append(officer)
    registered = officers[0].post_form(
        "/admin/firs/new",
        {
            "station": "HR-GGM-SEC29",
            "informant_name": "Race Test Informant",
            "informant_address": "House 7, Sector 29, Gurugram",
            "category": "theft",
            "sections": "BNS 303(2)",
            "occurred_from": "2026-11-20T10:00",
            "place": "Sector 29 market, Gurugram",
            "brief": "A phone was taken from a parked scooter.",
        },
    )
    assert registered.status_code == 302, registered.text[-800:]
    fir_page = registered.headers["Location"]
    path = "/admin/firs/" + fir_page.rstrip("/").rsplit("/", 1)[-1]
    for round_ in range(3):
        version = int(re.search(r'name="version" value="(\d+)"', officers[0].get(path).text)[1])
        forms = [
            dict(
                kind="investigation",
                version=str(version),
                text=f"Round {round_}: seen by both",
                csrf_token=officer.csrf(path),
            )
            for officer in officers
        ]
        barrier, statuses = threading.Barrier(2), []

        def post(officer, form, barrier=barrier, statuses=statuses):
            barrier.wait()
            response = officer.session.post(
                officer.url(path + "/progress"), data=form, allow_redirects=False, timeout=10
            )
            statuses.append(response.status_code)

        threads = [
            threading.Thread(target=post, args=pair) for pair in zip(officers, forms, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [302, 409], statuses
        page = officers[1].get(path).text
        assert page.count(f"Round {round_}: seen by both") == 1
        assert f'name="version" value="{version + 1}"' in page
