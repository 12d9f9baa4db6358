"""Per-account brute-force protection, on top of the per-address rate limits.

Guessing one person's password from many addresses (a botnet, or a carrier-grade NAT's worth of
people) passes any per-address limit. So failures are counted per account name, from anywhere:
after FREE_FAILURES within WINDOW, each further failure locks the name for a growing delay
(1, 2, 4 … minutes), never longer than MAX_LOCK, so nobody can lock a person out for good; the
owner is mailed once per lock; a successful login or a password reset clears the count.

Account names that do not exist are counted the same way (by the same hash), so the lock says
nothing about whether an account exists.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from app.models import LoginThrottle, User
from app.models.base import as_utc

from . import mail, notice_templates

FREE_FAILURES = 5
WINDOW = timedelta(minutes=15)
MAX_LOCK = timedelta(minutes=15)


def key_of(email):
    normal = (email or "").strip().lower()
    return hashlib.sha256(normal.encode("utf-8", "replace")).hexdigest()


def locked_for(email, now=None):
    """Seconds the account name is still locked for (0 when it may try)."""
    now = now or datetime.now(UTC)
    record = LoginThrottle.objects(key=key_of(email)).only("locked_until").first()
    until = as_utc(record.locked_until) if record else None
    return max(0, int((until - now).total_seconds())) if until and until > now else 0


def failed(email, now=None):
    """Count a failed login; returns the lock (a timedelta) it started, or None."""
    now = now or datetime.now(UTC)
    key = key_of(email)
    record = LoginThrottle.objects(key=key).first()
    if record is None or as_utc(record.first_failure_at) + WINDOW <= now:
        LoginThrottle.objects(key=key).update_one(
            upsert=True,
            set__failures=1,
            set__first_failure_at=now,
            unset__locked_until=True,
        )
        return None
    record = LoginThrottle.objects(key=key).modify(new=True, inc__failures=1)
    over = record.failures - FREE_FAILURES
    if over <= 0:
        return None
    lock = min(timedelta(minutes=2 ** (over - 1)), MAX_LOCK)
    LoginThrottle.objects(key=key).update_one(set__locked_until=now + lock)
    if record.owner_told_at is None or as_utc(record.owner_told_at) + WINDOW <= now:
        LoginThrottle.objects(key=key).update_one(set__owner_told_at=now)
        _tell_owner(email, record.failures)
    return lock


def cleared(email):
    LoginThrottle.objects(key=key_of(email)).delete()


def _tell_owner(email, failures):
    user = User.with_email(email).first() if email else None
    if user is None or not user.email:
        return
    subject, body = notice_templates.render("login_locked", "email", user.language, count=failures)
    mail.queue_email(to=user.email, subject=subject, body_text=body, template="login_locked")
