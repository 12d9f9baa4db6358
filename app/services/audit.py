"""Writing audit events. Callers pass documents; only their ids are stored."""

from app.models import AuditEvent


def record(action, *, actor=None, target=None, state=None, **details):
    """Append one audit event; `details` must not hold personal data."""
    return AuditEvent(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        object_type=type(target).__name__ if target is not None else None,
        object_id=str(target.pk) if getattr(target, "pk", None) else None,
        state=state if getattr(state, "pk", None) else None,
        details={key: str(value) for key, value in details.items()},
    ).save()
