"""Account mail sent in the background, so a request's timing tells nothing about an account."""

from celery import shared_task
from flask import current_app
from flask_babel import force_locale
from flask_security.recoverable import send_reset_password_instructions

from app.models import User


@shared_task(name="accounts.send-password-reset")
def send_password_reset(email, language="en"):
    """Mail a reset link if `email` names an active account; nothing otherwise. The link is
    built on PUBLIC_BASE_URL (app.security.hosts), never on whatever Host the request had."""
    user = User.with_email(email).first()
    if user is None or not user.active:
        return False
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        with force_locale(user.language or language):
            send_reset_password_instructions(user)
    return True
