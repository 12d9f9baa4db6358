"""The Citizens Charter clock: start, pause, resume, warn and escalate.

The designated officer's deadline is set at submission (`start`). A state marked
`pauses_clock` stops it (`on_transition` stores `paused_at`; leaving the state shifts every
deadline by the time spent paused); a final state stops it for good. The beat task
`deadlines.sweep` (services.sweep) runs every minute: an indexed query finds requests past
`escalate_at` or `warn_at`, and each step is claimed (services.claims) before it is written, so
two beat processes, or a task run twice, escalate and warn once. Escalation moves the request to
the next tier of the definition's chain (designated → competent → appellate) with that tier's
own limit, and records an event whose notifications go to the new tier's officers and the
applicant.

Every function takes `now`, so unit tests drive the clock without waiting.
"""

from app.models import ServiceRequest
from app.models.base import as_utc
from app.models.requests import Escalation

from . import audit, claims, events, service_types, sla

# A claim on a step is taken per five-minute window: if the claimant dies between its claim and
# its write, the step is retried in the next window; the write's filter on the escalation level
# and the event's key stop a retry from doing the step twice.
CLAIM_WINDOW_SECONDS = 300
SWEEP_BATCH = 200


def chain(definition):
    return (definition.get("sla") or {}).get("escalation") or []


def warn_share(definition):
    return (definition.get("sla") or {}).get("warn_at", 0.8)


def _warn_time(start, due, share):
    return start + (due - start) * share


def _next_escalation(definition, level, due):
    """When the tier at `level` is escalated: its deadline, if a higher tier exists."""
    return due if level + 1 < len(chain(definition)) else None


def start(state, definition, now):
    """The clock fields of a new request: due_at, escalate_at and warn_at (all None if none)."""
    due = sla.due_at(state, definition, now)
    if due is None:
        return {"due_at": None, "escalate_at": None, "warn_at": None}
    return {
        "due_at": due,
        "escalate_at": _next_escalation(definition, 0, due),
        "warn_at": _warn_time(now, due, warn_share(definition)),
    }


def on_transition(request, definition, target, now):
    """mongoengine update operators for the clock when `request` moves to state `target`."""
    info = definition["workflow"]["states"][target]
    if info.get("final"):
        return {"set__escalate_at": None, "set__warn_at": None, "set__paused_at": None}
    if info.get("pauses_clock"):
        return {} if request.paused_at else {"set__paused_at": now}
    if request.paused_at is None:
        return {}
    paused = now - as_utc(request.paused_at)
    updates = {"set__paused_at": None}
    for name in ("due_at", "escalate_at", "warn_at"):
        value = getattr(request, name)
        if value is not None:
            updates[f"set__{name}"] = as_utc(value) + paused
    return updates


def restart(request, definition, now):
    """Clock fields for a request reopened (on an allowed appeal): a fresh designated limit."""
    fields = start(request.station.state, definition, now)
    return {
        "set__due_at": fields["due_at"],
        "set__escalate_at": fields["escalate_at"],
        "set__warn_at": fields["warn_at"],
        "set__paused_at": None,
        "set__escalation_level": 0,
    }


def _window(now):
    return int(now.timestamp() // CLAIM_WINDOW_SECONDS)


def escalate(request, now):
    """Move `request` one tier up its chain; True if this call did it."""
    definition = service_types.definition_of(request)
    tiers = chain(definition)
    level = request.escalation_level or 0
    if level + 1 >= len(tiers):
        # The top tier has missed its deadline too: nothing higher to go to. Stop sweeping it;
        # the applicant's remedy now is an appeal (offered because the deadline passed).
        ServiceRequest.objects(id=request.id, escalation_level=level).update_one(
            set__escalate_at=None
        )
        return False
    if not claims.take(f"escalate:{request.id}:L{level + 1}:w{_window(now)}"):
        return False
    tier = tiers[level + 1]
    due = sla.add_limit(request.station.state, now, tier["limit"])
    entry = Escalation(
        at=now,
        level=level + 1,
        tier=tier["tier"],
        role=tier["role"],
        missed_due_at=request.due_at,
        due_at=due,
    )
    changed = ServiceRequest.objects(
        id=request.id, escalation_level=level, closed_at=None
    ).update_one(
        set__escalation_level=level + 1,
        set__due_at=due,
        set__escalate_at=_next_escalation(definition, level + 1, due),
        set__warn_at=_warn_time(now, due, warn_share(definition)),
        push__escalations=entry,
        set__updated_at=now,
    )
    if not changed:
        return False
    audit.record(
        "request.escalate", target=request, state=request.state, level=level + 1, role=tier["role"]
    )
    events.record(request, "escalated", level + 1, now=now)
    return True


def warn(request, now):
    """Warn whoever holds `request` that its deadline is near; True if this call did it."""
    level = request.escalation_level or 0
    taken = claims.take(f"warn:{request.id}:L{level}:w{_window(now)}")
    if taken:
        events.record(request, "warning", level, now=now)
    ServiceRequest.objects(id=request.id, escalation_level=level).update_one(set__warn_at=None)
    return taken


def due_for(field, now):
    return (
        ServiceRequest.objects(**{f"{field}__lte": now}, paused_at=None, closed_at=None)
        .order_by(field)
        .limit(SWEEP_BATCH)
    )
