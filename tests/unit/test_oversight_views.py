"""Appeals, ratings, the supervision dashboard and senior visits through the portal, the API
and the admin: who sees what, and bad input answered with 400 naming the field."""

import re
from datetime import UTC, datetime, timedelta

from app.models import Appeal, SeniorCitizen, ServiceRequest
from app.services import sweep
from tests.helpers.clock import act, submit_at
from tests.unit.test_requests import token_client


def _now():
    return datetime.now(UTC) - timedelta(minutes=5)


def _rejected(app):
    with app.app_context():
        request = submit_at("tenant_verification", _now())
        request = act(request, "accept", "officer.sector29", _now())
        request = act(request, "submit_report", "officer.sector29", _now(), "Not known here.")
        request = act(request, "reject", "sho.sector29", _now(), "Adverse report.")
        return request.number


def _post(auth, path, data, token_from=None):
    token = auth.csrf(token_from or path)
    return auth.client.post(path, data=dict(data, csrf_token=token))


def test_the_applicant_appeals_a_refusal_and_the_supervisor_allows_it(catalogue_seeded, auth):
    number = _rejected(catalogue_seeded)
    auth.login("citizen")
    page = auth.client.get(f"/my/requests/{number}").get_data(as_text=True)
    assert "First appeal" in page and "district supervising officer" in page
    empty = _post(auth, f"/my/requests/{number}/appeal", {"text": " "}, f"/my/requests/{number}")
    assert empty.status_code == 400 and "Say why you are appealing." in empty.get_data(True)
    filed = _post(
        auth, f"/my/requests/{number}/appeal", {"text": "Wrong."}, f"/my/requests/{number}"
    )
    assert filed.status_code == 302
    assert f"{number}/A1" in auth.client.get(f"/my/requests/{number}").get_data(as_text=True)
    auth.logout()

    with catalogue_seeded.app_context():
        key = Appeal.objects.get(number=f"{number}/A1").key
    auth.login("sho.sector29")  # sees the appeal on the station's request, may not decide it
    assert f"{number}/A1" in auth.client.get("/admin/appeals/").get_data(as_text=True)
    refused = _post(auth, f"/admin/appeals/{key}", {"outcome": "allowed", "remark": "x"})
    assert refused.status_code == 403
    auth.logout()

    auth.login("sho.nitkotwali")  # another station: not even there
    assert auth.client.get(f"/admin/appeals/{key}").status_code == 404
    auth.logout()

    auth.login("acp.gurugram")
    listing = auth.client.get("/admin/appeals/").get_data(as_text=True)
    assert "your decision" in listing
    silent = _post(auth, f"/admin/appeals/{key}", {"outcome": "allowed", "remark": ""})
    assert silent.status_code == 400 and "reasons in writing" in silent.get_data(as_text=True)
    done = _post(auth, f"/admin/appeals/{key}", {"outcome": "allowed", "remark": "Re-enquire."})
    assert done.status_code == 302
    with catalogue_seeded.app_context():
        assert ServiceRequest.objects.get(number=number).status == "report_submitted"


def test_appeals_and_ratings_through_the_api(catalogue_seeded):
    number = _rejected(catalogue_seeded)
    other, other_headers = token_client(catalogue_seeded, "hotel")
    assert (
        other.post(
            f"/api/v1/requests/{number}/appeals", headers=other_headers, json={"text": "x"}
        ).status_code
        == 404
    )
    client, headers = token_client(catalogue_seeded, "citizen")
    detail = client.get(f"/api/v1/requests/{number}", headers=headers).get_json()
    assert detail["appeal_open"]["level"] == 1 and detail["can_rate"] is True
    bad = client.post(f"/api/v1/requests/{number}/appeals", headers=headers, json={"text": 5})
    assert bad.status_code == 400 and "text" in bad.get_json()["errors"]
    made = client.post(f"/api/v1/requests/{number}/appeals", headers=headers, json={"text": "No."})
    assert made.status_code == 201 and made.get_json()["authority_role"] == "district_supervisor"
    again = client.post(f"/api/v1/requests/{number}/appeals", headers=headers, json={"text": "!"})
    assert again.status_code == 409
    wrong = client.post(f"/api/v1/requests/{number}/rating", headers=headers, json={"score": "meh"})
    assert wrong.status_code == 400 and "score" in wrong.get_json()["errors"]
    rated = client.post(
        f"/api/v1/requests/{number}/rating", headers=headers, json={"score": "poor"}
    )
    assert rated.status_code == 201 and rated.get_json()["appeal"] is None  # A1 exists already


def test_the_supervision_dashboard_shows_overdue_and_escalated_work(catalogue_seeded, auth):
    app = catalogue_seeded
    with app.app_context():
        request = submit_at("tenant_verification", datetime.now(UTC) - timedelta(days=20))
        sweep.run(datetime.now(UTC))  # escalated: now with the supervisor, on a new deadline
        submit_at("tenant_verification", datetime.now(UTC) - timedelta(days=20))  # overdue
        number = request.number
    auth.login("acp.gurugram")
    page = auth.client.get("/admin/supervision/").get_data(as_text=True)
    assert "Overdue requests by police station and service" in page
    assert re.search(r"<td>HR-GGM-SEC29</td><td>[^<]+</td><td>1</td>", page)
    assert number in page
    # The escalation notice reaches the supervisor and links to the admin page, not the portal's.
    notices = auth.client.get("/notifications").get_data(as_text=True)
    assert "escalated to you" in notices and "/admin/requests/details/?id=" in notices
    auth.logout()
    auth.login("officer.sector29")  # a station officer has no dashboard
    assert auth.client.get("/admin/supervision/").status_code == 403
    auth.logout()
    auth.login("admin.delhi")  # another state: sees nothing of Haryana's
    assert number not in auth.client.get("/admin/supervision/").get_data(as_text=True)


def test_the_beat_officer_records_a_senior_citizens_visit(catalogue_seeded, auth):
    app = catalogue_seeded
    with app.app_context():
        request = submit_at("senior_citizen_registration", _now())
        request = act(request, "accept", "officer.sector29", _now())
        request = act(request, "submit_report", "officer.sector29", _now(), "Lives alone.")
        act(request, "approve", "sho.sector29", _now())
        senior = SeniorCitizen.objects.get(request=request.id)
        path = f"/admin/seniors/{senior.id}"
    auth.login("officer.sector29")
    assert senior.number in auth.client.get("/admin/seniors/").get_data(as_text=True)
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    bad = _post(auth, path, {"date": future, "remarks": "x"})
    assert bad.status_code == 400 and "cannot be in the future" in bad.get_data(as_text=True)
    today = datetime.now(UTC).date().isoformat()
    assert _post(auth, path, {"date": today, "remarks": "All well."}).status_code == 302
    assert "All well." in auth.client.get(path).get_data(as_text=True)
    auth.logout()
    auth.login("officer.nitkotwali")
    assert auth.client.get(path).status_code == 404


def test_today_lists_the_officers_visits_each_one_tap_from_its_record(catalogue_seeded, auth):
    app = catalogue_seeded
    with app.app_context():
        tenant = submit_at("tenant_verification", _now())
        tenant = act(tenant, "accept", "officer.sector29", _now())  # assigned to them
        reported = submit_at("tenant_verification", _now())
        reported = act(reported, "accept", "officer.sector29", _now())
        act(reported, "submit_report", "officer.sector29", _now(), "Done.")  # no visit left
        senior = submit_at("senior_citizen_registration", _now())
        senior = act(senior, "accept", "officer.sector29", _now())
        senior = act(senior, "submit_report", "officer.sector29", _now(), "Lives alone.")
        act(senior, "approve", "sho.sector29", _now())
        enrolled = SeniorCitizen.objects.get(request=senior.id)
        SeniorCitizen.objects(id=enrolled.id).update_one(
            set__next_visit_due=datetime.now(UTC) - timedelta(days=1)
        )
    auth.login("officer.sector29")
    page = auth.client.get("/admin/today/").get_data(as_text=True)
    assert tenant.number in page and reported.number not in page
    assert f"/admin/requests/details/?id={tenant.id}#report-submit_report" in page
    assert 'href="tel:+91' in page  # the owner's mobile, one tap to call
    assert enrolled.number in page and f"/admin/seniors/{enrolled.id}#visit" in page
    assert "overdue" in page
    auth.logout()
    auth.login("officer.nitkotwali")  # another station's officer: none of these
    other = auth.client.get("/admin/today/").get_data(as_text=True)
    assert tenant.number not in other and enrolled.number not in other
