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
from app.models import RequestEvent
from app.models.base import stored_id

EVENTS = (
    "submitted",
    "transition",
    "escalated",
    "warning",
    "appeal_filed",
    "appeal_decided",
    "appeal_overdue",
    "senior_visit_missed",
)


def key_of(request_id, event, seq):
    return f"{request_id}:{event}:{seq}"


def record(request, event, seq, now=None, detail=None):
    """Write the event (once) and queue its processing; returns the event's key."""
    if event not in EVENTS:
        raise ValueError(f"unknown request event {event!r}")
    key = key_of(request.id, event, seq)
    try:
        RequestEvent(
            key=key,
            request=request,
            event=event,
            seq=seq,
            detail=detail or {},
            created_at=now or datetime.now(UTC),
        ).save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        pass  # recorded before; queue it again all the same, processing is idempotent
    signals.request_event.send(current_app._get_current_object(), key=key)
    return key


def process(key, now=None):
    """Send the event's notifications and mark it done; returns how many were created."""
    from . import notify  # notify imports events for follow-ups; import here to avoid a cycle

    event = RequestEvent.objects(key=key).first()
    if event is None or event.done_at is not None:
        return 0
    # The request's id as stored: notify loads the request once, not twice.
    created = notify.notify_request_event(
        str(stored_id(event, "request")), event.event, event.seq, event.detail or None
    )
    RequestEvent.objects(key=key).update_one(set__done_at=now or datetime.now(UTC))
    return created


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
