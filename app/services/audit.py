"""Writing audit events. Callers pass documents; only their ids are stored.

The web layer tells this module who is on the other end of the current request (set_client, from
app.security.audit); every event recorded while that request runs carries the address and user
agent, without any service reading Flask's request.
"""

import contextvars

from app.models import AuditEvent

_client: contextvars.ContextVar[tuple[str | None, str | None]] = contextvars.ContextVar(
    "audit_client", default=(None, None)
)


def set_client(ip, user_agent):
    """Remember the current request's client for the events it records; returns a reset token."""
    return _client.set((ip or None, (user_agent or "")[:200] or None))


def clear_client(token=None):
    if token is not None:
        _client.reset(token)
    else:
        _client.set((None, None))


def record(action, *, actor=None, target=None, state=None, **details):
    """Append one audit event; `details` must not hold personal data."""
    ip, user_agent = _client.get()
    return AuditEvent(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=type(target).__name__ if target is not None else None,
        object_id=str(target.pk) if getattr(target, "pk", None) else None,
        state=state if getattr(state, "pk", None) else None,
        details={key: str(value) for key, value in details.items()},
        ip=ip,
        user_agent=user_agent,
    ).save()
