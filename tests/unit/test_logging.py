"""Secrets and personal data stay out of logs."""

from app.gunicorn_logging import redact


def test_tokens_in_urls_are_redacted_from_access_logs():
    line = 'GET /confirm/ImFiYyI.aw.XyZ HTTP/1.1 "http://127.0.0.1:5000/reset/eyJhbGciOi.x.y"'
    assert redact(line) == 'GET /confirm/… HTTP/1.1 "http://127.0.0.1:5000/reset/…"'
    assert redact("/tf-setup/.eJxNjk0?x=1") == "/tf-setup/…?x=1"
    assert redact("/admin/stations/") == "/admin/stations/"


def test_failed_login_is_audited_without_the_email(client, auth, app):
    from app.models import AuditEvent

    auth.login("citizen", password="wrong-password-1")
    with app.app_context():
        event = AuditEvent.objects.get(action="login_failed")
        assert event.actor is None
        assert "citizen@" not in str(event.details)
