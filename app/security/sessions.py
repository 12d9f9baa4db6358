"""Server-side login records, so logging out kills every copy of the session cookie.

Flask's session is a signed cookie: on its own, a copy taken before logout would still work after
it. Each login writes a UserSession whose id goes into the cookie; the user loader accepts a
cookie only while its record exists, and logout deletes the record.
"""

import secrets
from datetime import UTC, datetime

from flask import current_app, session
from flask_login import user_logged_in, user_logged_out
from flask_security import core as fs_core

from app.models import UserSession

SESSION_KEY = "pcs_sid"


def _start(app, user, **_):
    now = datetime.now(UTC)
    sid = secrets.token_urlsafe(32)
    UserSession(
        sid=sid,
        user=user,
        created_at=now,
        expires_at=now + current_app.permanent_session_lifetime,
    ).save()
    session[SESSION_KEY] = sid
    session.permanent = True


def _end(app, user=None, **_):
    sid = session.pop(SESSION_KEY, None)
    if sid:
        UserSession.objects(sid=sid).delete()


def _user_loader(user_id):
    """Flask-Security's loader, gated on a live session record."""
    sid = session.get(SESSION_KEY)
    if not sid:
        return None
    record = UserSession.objects(sid=sid).only("user", "expires_at").no_dereference().first()
    if record is None or record.expires_at.replace(tzinfo=UTC) <= datetime.now(UTC):
        return None
    user = fs_core._user_loader(user_id)
    if user is None or user.id != record.user.id:
        return None
    return user


def init_sessions(app):
    user_logged_in.connect(_start, app)
    user_logged_out.connect(_end, app)
    # Replaces the loader Flask-Security registered; it also disables "remember me" cookies,
    # which could not be revoked at logout (shared computers are common at cyber cafés).
    app.login_manager.user_loader(_user_loader)


def purge_expired(now=None):
    """Delete session records past their expiry; returns how many went."""
    now = now or datetime.now(UTC)
    return UserSession.objects(expires_at__lte=now).delete()
