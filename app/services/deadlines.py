"""The Citizens Charter clock: start, pause, resume, warn and escalate.

The designated officer's deadline is set at submission (`start`). A state marked
`pauses_clock` stops it (`on_transition` stores `paused_at`; leaving the state shifts every
deadline by the time spent paused); a final state stops it for good. The beat task
`deadlines.sweep` (services.sweep, on its own queue and worker) runs every minute: it reads the
requests past `escalate_at` or `warn_at` by the hour buckets kept beside them (services.due_hours:
equality, so it costs what is due, not what is open), and each step is claimed
(services.claims) before it is written by exact id with the version checked, so two beat
processes, or a task run twice, escalate and warn once. Escalation moves the request to
the next tier of the definition's chain (designated → competent → appellate) with that tier's
own limit, and records an event whose notifications go to the new tier's officers and the
applicant.

Every function takes `now`, so unit tests drive the clock without waiting.
"""

from app.models import ServiceRequest
from app.models.base import as_utc
from app.models.requests import Escalation

from . import audit, claims, due_hours, events, service_types, sla

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


def _clock(due, escalate, warn):
    return {
        "due_at": due,
        **due_hours.fields("escalate", escalate),
        **due_hours.fields("warn", warn),
    }


def start(state, definition, now):
    """The clock fields of a new request: due_at, escalate_at and warn_at (all None if none),
    with their hours. The caller passes them to due_hours.reach_back() after saving."""
    due = sla.due_at(state, definition, now)
    if due is None:
        return _clock(None, None, None)
    return _clock(
        due, _next_escalation(definition, 0, due), _warn_time(now, due, warn_share(definition))
    )


def _set(fields):
    return {f"set__{name}": value for name, value in fields.items()}


# While paused the times are kept (resuming shifts them) but the hours are cleared, so the
# sweep's buckets hold only running clocks.
_STOPPED_HOURS = {"set__escalate_hour": None, "set__warn_hour": None}


def on_transition(request, definition, target, now):
    """mongoengine update operators for the clock when `request` moves to state `target`."""
    info = definition["workflow"]["states"][target]
    if info.get("final"):
        return {
            **due_hours.updates("escalate", None),
            **due_hours.updates("warn", None),
            "set__paused_at": None,
        }
    if info.get("pauses_clock"):
        return {} if request.paused_at else {"set__paused_at": now, **_STOPPED_HOURS}
    if request.paused_at is None:
        return {}
    paused = now - as_utc(request.paused_at)

    def shifted(value):
        return None if value is None else as_utc(value) + paused

    return {
        "set__paused_at": None,
        **_set(
            _clock(shifted(request.due_at), shifted(request.escalate_at), shifted(request.warn_at))
        ),
    }


def restart(request, definition, now):
    """Clock fields for a request reopened (on an allowed appeal): a fresh designated limit."""
    return {
        **_set(start(request.station.state, definition, now)),
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
            **due_hours.updates("escalate", None)
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
    # By exact id and version: an officer's transition of the same version, racing this, and
    # this cannot both land (each checks the version the other increments).
    changed = ServiceRequest.objects(
        id=request.id, version=request.version, escalation_level=level, closed_at=None
    ).update_one(
        set__escalation_level=level + 1,
        inc__version=1,
        **_set(
            _clock(
                due,
                _next_escalation(definition, level + 1, due),
                _warn_time(now, due, warn_share(definition)),
            )
        ),
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
    # Only if the warning time is still the one acted on (a resumed clock may have moved it).
    ServiceRequest.objects(
        id=request.id, escalation_level=level, warn_at=request.warn_at
    ).update_one(**due_hours.updates("warn", None))
    return taken


def due_for(clock, now):
    """Requests whose `clock` ("escalate" or "warn") is due, found by their due-hour buckets."""
    return due_hours.due(clock, now, SWEEP_BATCH)
