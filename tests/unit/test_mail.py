"""The outbox: queue, deliver once, retry on SMTP failure, requeue stuck messages."""

import smtplib
from datetime import UTC, datetime, timedelta

import pytest

from app.models import OutboxMessage
from app.services import mail

# The tests marked `db` exercise queries, indexes, concurrency or stored formats: they run on
# FerretDB too (tests/unit/conftest.py); the others only on mongomock.


@pytest.mark.db
def test_queued_email_is_delivered_once_by_the_eager_task(ctx):
    message = mail.queue_email(to="a@mail.co.in", subject="Hello", body_text="Body")
    message.reload()
    assert message.status == "sent" and message.attempts == 1
    assert mail.deliver(str(message.id)) is None  # a re-run finds nothing to do
    message.reload()
    assert message.attempts == 1


def test_smtp_failure_keeps_the_message_queued_for_retry(app, ctx, monkeypatch):
    app.config["MAIL_BACKEND"] = "smtp"

    class Refusing:
        def __init__(self, *args, **kwargs):
            raise smtplib.SMTPConnectError(421, "busy")

    monkeypatch.setattr(smtplib, "SMTP", Refusing)
    message = OutboxMessage(to="a@mail.co.in", subject="S", body_text="B").save()
    with pytest.raises(mail.DeliveryError):
        mail.deliver(str(message.id))
    message.reload()
    assert message.status == "queued" and message.attempts == 1 and message.last_error


def test_smtp_delivery_sends_through_the_configured_server(app, ctx, monkeypatch):
    app.config["MAIL_BACKEND"] = "smtp"
    sent = []

    class Recording:
        def __init__(self, host, port, timeout):
            self.host = host

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, email):
            sent.append((email["To"], email["Subject"]))

    monkeypatch.setattr(smtplib, "SMTP", Recording)
    message = OutboxMessage(to="a@mail.co.in", subject="S", body_text="B").save()
    mail.deliver(str(message.id))
    assert sent == [("a@mail.co.in", "S")]
    assert OutboxMessage.objects.get(id=message.id).status == "sent"


@pytest.mark.db
def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_lease(ctx):
    now = datetime.now(UTC)
    message = OutboxMessage(
        to="a@mail.co.in",
        subject="S",
        body_text="B",
        status="sending",
        claimed_at=now - timedelta(minutes=30),
    ).save()
    assert mail.deliver(str(message.id), now=now) is not None
    fresh = OutboxMessage(
        to="b@mail.co.in",
        subject="S",
        body_text="B",
        status="sending",
        claimed_at=now - timedelta(minutes=1),
    ).save()
    assert mail.deliver(str(fresh.id), now=now) is None


@pytest.mark.db
def test_stuck_messages_are_found_for_requeue(ctx):
    old = OutboxMessage(
        to="a@mail.co.in",
        subject="S",
        body_text="B",
        created_at=datetime.now(UTC) - timedelta(minutes=10),
    ).save()
    OutboxMessage(to="b@mail.co.in", subject="S", body_text="B").save()
    assert mail.stuck_messages() == [str(old.id)]


def test_outbox_view_shows_links_of_a_message(client, app):
    with app.app_context():
        message = mail.queue_email(
            to="a@mail.co.in",
            subject="Confirm",
            body_text="Open http://localhost/confirm/abc to confirm.",
        )
    page = client.get(f"/dev/outbox/{message.id}").get_data(as_text=True)
    assert 'href="http://localhost/confirm/abc"' in page
    assert client.get("/dev/outbox/nothex").status_code == 404


def test_outbox_view_is_absent_in_production_like_config(app):
    from app import create_app

    other = create_app(
        "testing",
        {
            "MONGODB_URI": app.config["MONGODB_URI"],
            "MONGODB_CLIENT": app.config["MONGODB_CLIENT"],
            "MAIL_OUTBOX_VIEW": False,
        },
    )
    assert other.test_client().get("/dev/outbox").status_code == 404


class _Gateway:
    """A loopback SMS gateway: records what it is sent, answers with a chosen status."""

    def __init__(self, status):
        import http.server
        import json
        import threading

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the stdlib's name
                length = int(self.headers["Content-Length"])
                received.append(
                    (self.headers["Authorization"], json.loads(self.rfile.read(length)))
                )
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("status, delivered", [(202, True), (500, False)])
def test_sms_go_through_the_configured_gateway_and_failures_are_retried(
    app, ctx, monkeypatch, status, delivered
):
    gateway = _Gateway(status)
    monkeypatch.setitem(app.config, "SMS_BACKEND", "http")
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", gateway.url)
    monkeypatch.setitem(app.config, "SMS_GATEWAY_TOKEN", "secret-token")
    try:
        message = OutboxMessage(
            channel="sms", to="9876543210", subject="SMS", body_text="Hi"
        ).save()
        if delivered:
            assert mail.deliver(str(message.id)).status == "sent"
        else:
            with pytest.raises(mail.DeliveryError):
                mail.deliver(str(message.id))
            assert message.reload().status == "queued" and message.last_error == "SmsError"
        token, body = gateway.received[0]
        assert token == "Bearer secret-token"
        assert body == {"to": "+919876543210", "text": "Hi", "sender": "POLICE"}
    finally:
        gateway.close()
