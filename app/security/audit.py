"""Audit events for logins, logouts, registrations and refused access; who is on the line.

Every event recorded during a request carries the client's address (after ProxyFix, when
trusted proxies are configured) and user agent. A 403, and a 404 met by a signed-in user (how
an out-of-scope document answers), are recorded as refused access with the path, never the
query string.
"""

from flask import current_app, request
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


def _note_client():
    audit.set_client(request.remote_addr, request.headers.get("User-Agent"))


def _forget_client(_exc=None):
    audit.clear_client()


def record_refusal(status):
    """Called by the error handlers for 403 and 404."""
    signed_in = bool(getattr(current_user, "is_authenticated", False))
    if status == 404 and not signed_in:
        return  # anonymous 404s are mostly crawlers; nothing was refused to anyone
    try:
        audit.record(
            "access_refused",
            actor=current_user if signed_in else None,
            state=getattr(current_user, "state", None) if signed_in else None,
            status=status,
            method=request.method,
            path=request.path[:200],
        )
    except Exception:  # noqa: BLE001 — an error page must not fail for want of an audit write
        current_app.logger.exception("could not record a refused access")


def init_audit(app):
    app.before_request_funcs.setdefault(None, []).insert(0, _note_client)
    app.teardown_request(_forget_client)
    # Failed logins are recorded by app.security.limits, which counts them per account.
    user_logged_in.connect(_logged_in, app)
    user_logged_out.connect(_logged_out, app)
    fs_signals.user_confirmed.connect(_confirmed, app)
    fs_signals.password_changed.connect(_password_changed, app)
    fs_signals.password_reset.connect(_password_reset, app)
    fs_signals.tf_profile_changed.connect(_tf_enrolled, app)
    # Registration is recorded by services.accounts.complete_registration, after the
    # account type and state are known.
