"""Notifications of request events: in the recipient's language, once per event and channel."""

import pytest

from app.models import Notification, OutboxMessage, ServiceRequest, User
from app.services import notify
from tests.unit.test_requests import submit, token_client

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.


def test_submission_and_each_step_notify_the_applicant_in_app_email_and_sms(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    officer, headers = token_client(app, "officer.sector29")
    officer.post(
        f"/api/v1/requests/{number}/transitions", headers=headers, json={"action": "accept"}
    )
    with app.app_context():
        citizen = User.objects.get(email="citizen@demo.police.example")
        texts = [n.text for n in Notification.objects(recipient=citizen.id).order_by("created_at")]
        assert len(texts) == 2
        assert number in texts[0] and "Received at the police station" in texts[0]
        assert "Verification in progress" in texts[1]
        assert (
            OutboxMessage.objects(channel="email", to=citizen.email).count() == 1
        )  # on: submitted
        assert (
            OutboxMessage.objects(channel="sms", to=citizen.mobile).count() == 2
        )  # submitted + transition


def test_notifications_are_in_the_recipients_language(catalogue_seeded):
    app = catalogue_seeded
    with app.app_context():
        User.objects(email="citizen@demo.police.example").update(set__language="hi")
    submit(app, "grievance")
    with app.app_context():
        text = Notification.objects.first().text
        assert "अनुरोध" in text and "प्राप्त" in text


@pytest.mark.db
def test_running_the_task_again_sends_nothing_twice(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "tenant_verification").get_json()["number"]
    with app.app_context():
        request = ServiceRequest.objects.get(number=number)
        before = (Notification.objects.count(), OutboxMessage.objects.count())
        assert notify.notify_request_event(str(request.id), "submitted", 1) == 0
        assert (Notification.objects.count(), OutboxMessage.objects.count()) == before


@pytest.mark.db
def test_api_lists_the_callers_notifications_and_marks_them_read(catalogue_seeded):
    app = catalogue_seeded
    number = submit(app, "grievance").get_json()["number"]
    client, headers = token_client(app, "citizen")
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert body["unread"] == 1 and body["items"][0]["number"] == number
    assert client.post("/api/v1/notifications/read", headers=headers).get_json() == {"unread": 0}
    assert (
        client.get("/api/v1/notifications", headers=headers).get_json()["items"][0]["read"] is True
    )
    other, other_headers = token_client(app, "hotel")
    assert other.get("/api/v1/notifications", headers=other_headers).get_json()["items"] == []


def test_header_shows_the_unread_count(catalogue_seeded, client, auth):
    submit(catalogue_seeded, "grievance")
    auth.login("citizen")
    page = client.get("/").get_data(as_text=True)
    assert 'class="badge">1<span class="visually-hidden"> unread</span>' in page
    assert "Request HR-GRV-" in client.get("/notifications").get_data(as_text=True)


@pytest.mark.db
def test_a_late_notification_tells_the_step_it_is_about_not_the_latest(catalogue_seeded, ctx):
    """Events processed after the request moved on (a worker was down) still say their own step."""
    from datetime import timedelta

    from app.models import RequestEvent
    from app.services import events
    from tests.helpers.clock import MONDAY, act, submit_at, user

    request = submit_at("tenant_verification", MONDAY)
    submitted = events.key_of(request.id, "submitted", request.version)
    request = act(request, "accept", "officer.sector29", MONDAY + timedelta(hours=1))
    key = events.key_of(request.id, "transition", request.version)
    act(request, "ask_documents", "officer.sector29", MONDAY + timedelta(hours=2), "Lease deed.")
    Notification.objects.delete()
    RequestEvent.objects(key__in=[key, submitted]).update(set__done_at=None)
    notify.process_event(key)
    notify.process_event(submitted)
    [late] = Notification.objects(recipient=user("citizen").id, event="transition")
    assert "Verification in progress" in late.text and "Lease deed." not in late.text
    [first] = Notification.objects(recipient=user("citizen").id, event="submitted")
    assert "Received at the police station" in first.text and "Lease deed." not in first.text
