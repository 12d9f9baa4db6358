"""Appeals (Right to Services acts): who may appeal, filing, deciding, and overdue appeals.

A first appeal lies within APPEAL_FILING_DAYS of a rejection, of the designated deadline
passing, or of a "poor" rating of a closed request; it goes to the next tier of the service's
escalation chain (the first appellate authority) and must be decided within 30 days. A second
appeal lies within the same window after the first is dismissed or left undecided past its
limit, and goes to the tier above (45 days). An allowed appeal against a rejection reopens the
request at the state it was rejected from, with a fresh designated limit.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.models import Appeal, ServiceRequest
from app.models.base import as_utc, stored_id
from app.models.requests import Rating

from . import access, audit, claims, deadlines, engine, events, service_types, workflow
from .catalogue import APPLICANT_ROLES
from .errors import FieldErrors

__all__ = ["AppealError", "eligibility", "file", "decide", "rate"]

RATINGS = ("good", "average", "poor")


class AppealError(FieldErrors):
    """An appeal or rating refused: bad input (400), not the caller's (403/404), too late (409)."""


def _window():
    return timedelta(days=current_app.config["APPEAL_FILING_DAYS"])


def _state_info(request, definition):
    return definition["workflow"]["states"][request.status]


def authority_role(definition, level):
    """The role that hears an appeal at `level`, or None if the chain has no such tier."""
    tiers = deadlines.chain(definition)
    if len(tiers) < 2:
        return None
    return tiers[min(level, len(tiers) - 1)]["role"]


def _first_deadline(request):
    if request.escalations:
        return as_utc(request.escalations[0].missed_due_at)
    return as_utc(request.due_at) if request.escalation_level == 0 else None


def appeals_of(request):
    return {a.level: a for a in Appeal.objects(request=request.id)}


def eligibility(request, now=None):
    """(level, grounds, closes_at) of the appeal the applicant may file now, or None."""
    now = now or datetime.now(UTC)
    definition = service_types.definition_of(request)
    existing = appeals_of(request)
    first = existing.get(1)
    if first is None:
        if authority_role(definition, 1) is None:
            return None
        info = _state_info(request, definition)
        if info.get("rejection") and request.closed_at:
            closes = as_utc(request.closed_at) + _window()
            return (1, "rejected", closes) if now <= closes else None
        missed = _first_deadline(request)
        late = missed and (request.closed_at is None or as_utc(request.closed_at) > missed)
        if late and missed < now <= missed + _window():
            return 1, "deadline_missed", missed + _window()
        return None
    if 2 in existing:
        return None
    if first.status == "dismissed" and first.decided_at:
        start = as_utc(first.decided_at)
    elif first.status == "pending" and as_utc(first.due_at) < now:
        start = as_utc(first.due_at)
    else:
        return None
    closes = start + _window()
    return (2, first.grounds, closes) if now <= closes else None


def file(request, applicant, text, now=None, grounds=None):
    """File the appeal the applicant may file now; returns the Appeal."""
    now = now or datetime.now(UTC)
    if applicant.id != stored_id(request, "applicant"):
        raise AppealError({"request": _l("Only the applicant may appeal.")}, status=404)
    text = (text or "").strip()
    if not text:
        raise AppealError({"text": _l("Say why you are appealing.")})
    if len(text) > 2000:
        raise AppealError({"text": _l("At most 2000 characters.")})
    allowed = eligibility(request, now)
    if allowed is None:
        raise AppealError(
            {"request": _l("No appeal can be filed on this request now.")}, status=409
        )
    level, eligible_grounds, _closes = allowed
    appeal = _new_appeal(request, level, grounds or eligible_grounds, text, now)
    if appeal is None:
        raise AppealError({"request": _l("This appeal has already been filed.")}, status=409)
    return appeal


def _new_appeal(request, level, grounds, text, now):
    """Write the appeal (once per request and level) and record its event; None if it exists."""
    definition = service_types.definition_of(request)
    days = current_app.config["APPEAL_DECISION_DAYS"][level]
    appeal = Appeal(
        key=f"{request.id}:A{level}",
        request=request,
        number=f"{request.number}/A{level}",
        level=level,
        grounds=grounds,
        text=text,
        applicant=request.applicant,
        state=request.state,
        district=request.district,
        station=request.station,
        authority_role=authority_role(definition, level),
        filed_at=now,
        due_at=now + timedelta(days=days),
    )
    try:
        appeal.save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        return None
    audit.record(
        "appeal.file", actor=request.applicant, target=appeal, state=request.state, grounds=grounds
    )
    events.record(request, "appeal_filed", level, now=now)
    return appeal


def can_decide(appeal, officer):
    return appeal.status == "pending" and appeal.authority_role in access.roles_over(
        officer, appeal.request
    )


def decide(appeal, officer, outcome, remark, now=None):
    """The authority allows or dismisses a pending appeal, in writing."""
    now = now or datetime.now(UTC)
    if outcome not in ("allowed", "dismissed"):
        raise AppealError({"outcome": _l("Choose allow or dismiss.")})
    remark = (remark or "").strip()
    if not remark:
        raise AppealError({"remark": _l("A decision must give its reasons in writing.")})
    if len(remark) > 2000:
        raise AppealError({"remark": _l("At most 2000 characters.")})
    if not access.can_see(officer, appeal.request):
        raise AppealError({"appeal": _l("Not found.")}, status=404)
    if appeal.status != "pending":
        raise AppealError({"appeal": _l("This appeal has already been decided.")}, status=409)
    if not can_decide(appeal, officer):
        raise AppealError({"appeal": _l("You may not decide this appeal.")}, status=403)
    decision = {
        "set__decided_at": now,
        "set__decided_by": officer,
        "set__decision": remark,
        "set__updated_at": now,
    }
    action = "allow" if outcome == "allowed" else "dismiss"
    try:
        MACHINE.step(appeal, action, officer, now=now, remark=remark, updates=decision)
    except AppealError as error:
        if error.http_status == 409:  # decided by someone else at this very moment
            raise AppealError(
                {"appeal": _l("This appeal has already been decided.")}, 409
            ) from None
        raise
    request = appeal.request
    if outcome == "allowed":
        _reopen(request, officer, remark, now)
    events.record(request, "appeal_decided", appeal.level, now=now)
    return appeal


def _reopen(request, officer, remark, now):
    """Back to the state the request was rejected from, with a fresh clock; no-op otherwise."""
    request.reload()
    definition = service_types.definition_of(request)
    if not (_state_info(request, definition).get("rejection") and request.history):
        return
    back_to = request.history[-1].from_state
    try:
        workflow.reopen(request, back_to, officer, "appellate_authority", remark, now)
    except workflow.StaleState:
        raise AppealError({"appeal": _l("The request changed; try again.")}, status=409) from None


def _decided_by_police(request):
    """Closed by an officer (not withdrawn by the applicant, not an instant report)."""
    last = request.history[-1] if request.history else None
    return last is not None and last.actor_role not in APPLICANT_ROLES


def can_rate(request):
    return request.closed_at is not None and request.rating is None and _decided_by_police(request)


def rate(request, applicant, score, comment="", now=None):
    """The applicant rates a closed request once; "poor" opens a first appeal if one lies."""
    now = now or datetime.now(UTC)
    if applicant.id != stored_id(request, "applicant"):
        raise AppealError({"request": _l("Only the applicant may rate.")}, status=404)
    if score not in RATINGS:
        raise AppealError({"score": _l("Choose good, average or poor.")})
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise AppealError({"comment": _l("At most 1000 characters.")})
    if request.closed_at is None:
        raise AppealError({"request": _l("Only a closed request can be rated.")}, status=409)
    if not _decided_by_police(request):
        raise AppealError(
            {"request": _l("Only a request decided by the police can be rated.")}, status=409
        )
    if request.rating is not None:
        raise AppealError({"request": _l("You have rated this request already.")}, status=409)
    if not claims.take(f"rating:{request.id}"):
        raise AppealError({"request": _l("You have rated this request already.")}, status=409)
    ServiceRequest.objects(id=request.id).update_one(
        set__rating=Rating(at=now, score=score, comment=comment or None)
    )
    audit.record("request.rate", actor=applicant, target=request, state=request.state, score=score)
    request.reload()
    if score != "poor":
        return request, None
    definition = service_types.definition_of(request)
    if 1 in appeals_of(request) or authority_role(definition, 1) is None:
        return request, None
    text = comment or str(_l("Rated the service as poor."))
    return request, _new_appeal(request, 1, "poor_rating", text, now)


def _roles_of(appeal, actor):
    """The roles `actor` holds over `appeal` in seed/workflows/appeal.yaml's terms."""
    return (
        {"authority"}
        if appeal.authority_role in access.roles_over(actor, appeal.request)
        else set()
    )


def _clock_notice(appeal, event, now):
    """The sweep found a pending appeal past its decision date: its authority is told, once."""
    events.record(appeal.request, event, appeal.level, now=now)


MACHINE = engine.register(
    engine.Machine(
        "appeal",
        Appeal,
        _roles_of,
        roles=("authority",),
        error=AppealError,
        notice=_clock_notice,
        clock_fields=("due_at", "overdue_notified"),
    )
)
