"""Record a request event durably, then queue its notifications.

record() writes the RequestEvent first (its key makes a second write a no-op) and only then
announces it (signals.request_event → a Celery task). If the broker is down or loses the message,
the beat's `events.requeue-pending` finds the event still pending and queues it again; the
notifications themselves are keyed, so running an event twice sends nothing twice.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app
from mongoengine.errors import NotUniqueError
from mongoengine.queryset.visitor import Q
from pymongo.errors import DuplicateKeyError

from app import signals
from app.models import Fir, RegisterEntry, RequestEvent

EVENTS = (
    "submitted",
    "transition",
    "escalated",
    "warning",
    "appeal_filed",
    "appeal_decided",
    "appeal_overdue",
    "senior_visit_missed",
    "fir_confirm",
    "fir_registered",
    "fir_lapsed",
    "fir_enquiry_closed",
    "fir_enquiry_overdue",
    "fir_transferred",
    "fir_progress",
    "register_match",
    "transferred",
    "transfer_proposed",
    "transfer_refused",
)


def key_of(request_id, event, seq, part=None):
    key = f"{request_id}:{event}:{seq}"
    return f"{key}:{part}" if part else key


def record(subject, event, seq, now=None, detail=None, part=None):
    """Write the event about `subject` (a ServiceRequest, an Fir or a RegisterEntry) once and
    queue its processing; returns the event's key. `part` tells apart events of one subject
    and seq (the other entry of a register match)."""
    if event not in EVENTS:
        raise ValueError(f"unknown request event {event!r}")
    key = key_of(subject.id, event, seq, part)
    if isinstance(subject, Fir):
        about = {"fir": subject}
    elif isinstance(subject, RegisterEntry):
        about = {"entry": subject}
    else:
        about = {"request": subject}
    try:
        RequestEvent(
            key=key,
            **about,
            event=event,
            seq=seq,
            detail=detail or {},
            created_at=now or datetime.now(UTC),
        ).save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        pass  # recorded before; queue it again all the same, processing is idempotent
    sender = current_app._get_current_object()  # type: ignore[attr-defined]  # the app behind the proxy
    signals.request_event.send(sender, key=key)
    return key


def pending(now=None, older_than=None, limit=500):
    """Keys of events still pending after `older_than` (their task was probably lost), not
    queued again within that time either; they are marked as queued again now."""
    now = now or datetime.now(UTC)
    if older_than is None:
        older_than = timedelta(seconds=current_app.config["EVENT_REQUEUE_AFTER_SECONDS"])
    since = now - older_than
    keys = [
        row["_id"]
        for row in RequestEvent.objects(
            Q(done_at=None)
            & Q(created_at__lte=since)
            & (Q(requeued_at=None) | Q(requeued_at__lte=since))
        )
        .only("key")
        .limit(limit)
        .as_pymongo()
    ]
    if keys:
        RequestEvent.objects(key__in=keys).update(set__requeued_at=now)
    return keys
