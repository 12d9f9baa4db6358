"""Audit events for logins, failed logins, logouts and registrations."""

from flask import request
from flask_login import current_user, user_logged_in, user_logged_out
from flask_security import signals as fs_signals

from app.services import audit


def _logged_in(app, user, **_):
    audit.record("login", actor=user, target=user, state=user.state)


def _logged_out(app, user=None, **_):
    if user is not None and getattr(user, "is_authenticated", False):
        audit.record("logout", actor=user, target=user, state=user.state)


def _confirmed(app, user, **_):
    audit.record("confirm_email", actor=user, target=user, state=user.state)


def _password_changed(app, user, **_):
    audit.record("password_changed", actor=user, target=user, state=user.state)


def _password_reset(app, user, **_):
    audit.record("password_reset", actor=user, target=user, state=user.state)


def _tf_enrolled(app, user, **_):
    audit.record("two_factor_enabled", actor=user, target=user, state=user.state)


def _failed_login(response):
    """A login POST that left nobody signed in. The typed email is not kept (personal data)."""
    if (
        request.endpoint == "security.login"
        and request.method == "POST"
        and response.status_code in (200, 400)
        and not current_user.is_authenticated
    ):
        audit.record("login_failed", status=response.status_code)
    return response


def init_audit(app):
    app.after_request(_failed_login)
    user_logged_in.connect(_logged_in, app)
    user_logged_out.connect(_logged_out, app)
    fs_signals.user_confirmed.connect(_confirmed, app)
    fs_signals.password_changed.connect(_password_changed, app)
    fs_signals.password_reset.connect(_password_reset, app)
    fs_signals.tf_profile_changed.connect(_tf_enrolled, app)
    # Registration is recorded by services.accounts.complete_registration, after the
    # account type and state are known.
