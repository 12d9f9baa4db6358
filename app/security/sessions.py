"""Server-side login records and API tokens: logout, a password change or idleness ends them.

Flask's session is a signed cookie: on its own, a copy taken before logout would still work after
it. Each login writes a UserSession whose id goes into the cookie; the user loader accepts a
cookie only while its record exists and has been used within SESSION_IDLE_MINUTES, and logout
deletes the record.

API tokens (Flask-Security's, sent in the Authentication-Token header) carry an id recorded in
ApiToken (see User.verify_auth_token): logout and a password change or reset delete every token
of the account and rotate its token uniquifier, and a token unused for TOKEN_IDLE_MINUTES dies.
A token in the URL (`?auth_token=`) is refused outright: URLs end up in logs, histories and
Referer headers.
"""

import secrets
from datetime import UTC, datetime, timedelta

from flask import Response, current_app, request, session
from flask_login import user_logged_in, user_logged_out
from flask_security import core as fs_core
from flask_security import signals as fs_signals

from app.models import ApiToken, UserSession
from app.models.accounts import TOUCH_EVERY
from app.models.base import as_utc

SESSION_KEY = "pcs_sid"


def _start(app, user, **_):
    now = datetime.now(UTC)
    sid = secrets.token_urlsafe(32)
    UserSession(
        sid=sid,
        user=user,
        created_at=now,
        last_seen_at=now,
        expires_at=now + current_app.permanent_session_lifetime,
    ).save()
    session[SESSION_KEY] = sid
    session.permanent = True


def revoke_tokens(user):
    """Kill every API token of `user` now."""
    ApiToken.objects(user=user.id).delete()
    current_app.extensions["security"].datastore.set_token_uniquifier(user)  # saves the user


def _end(app, user=None, **_):
    sid = session.pop(SESSION_KEY, None)
    if sid:
        UserSession.objects(sid=sid).delete()
    if user is not None and getattr(user, "id", None):
        revoke_tokens(user)


def _password_changed(app, user, **_):
    revoke_tokens(user)


def _user_loader(user_id):
    """Flask-Security's loader, gated on a live, recently used session record."""
    sid = session.get(SESSION_KEY)
    if not sid:
        return None
    record = (
        UserSession.objects(sid=sid)
        .only("user", "expires_at", "last_seen_at")
        .no_dereference()
        .first()
    )
    now = datetime.now(UTC)
    if record is None or as_utc(record.expires_at) <= now:
        return None
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if as_utc(record.last_seen_at) + idle <= now:
        UserSession.objects(sid=sid).delete()
        return None
    user = fs_core._user_loader(user_id)
    if user is None or user.id != record.user.id:
        return None
    if as_utc(record.last_seen_at) + TOUCH_EVERY <= now:
        UserSession.objects(sid=sid).update_one(set__last_seen_at=now)
    return user


def refuse_token_in_url():
    key = current_app.config.get("SECURITY_TOKEN_AUTHENTICATION_KEY", "auth_token")
    if key in request.args:
        return Response(
            "Bad Request: send the token in the Authentication-Token header, never in the URL\n",
            400,
            mimetype="text/plain",
        )
    return None


def init_sessions(app):
    user_logged_in.connect(_start, app)
    user_logged_out.connect(_end, app)
    fs_signals.password_changed.connect(_password_changed, app)
    fs_signals.password_reset.connect(_password_changed, app)
    # Before Flask-Login looks at the request: a token in the URL never authenticates anyone.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_token_in_url)
    # Replaces the loader Flask-Security registered; it also disables "remember me" cookies,
    # which could not be revoked at logout (shared computers are common at cyber cafés).
    app.login_manager.user_loader(_user_loader)


def purge_expired(now=None):
    """Delete session records past their expiry or idle limit, and idle tokens; how many went."""
    now = now or datetime.now(UTC)
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    token_idle = timedelta(minutes=current_app.config["TOKEN_IDLE_MINUTES"])
    gone = UserSession.objects(expires_at__lte=now).delete()
    gone += UserSession.objects(last_seen_at__lte=now - idle).delete()
    return gone + ApiToken.objects(last_used_at__lte=now - token_idle).delete()
