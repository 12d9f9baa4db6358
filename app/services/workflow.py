"""The workflow engine: apply_transition is the only code that changes a request's status.

It checks the action exists from the current state, the actor's role and jurisdiction, the remark
and self-approval rules, then claims the request's current version (services.claims) and writes
with a filter on status and version, so of two officers acting at once one wins and the other
gets StaleState, on FerretDB as on MongoDB. The clock moves with the state (services.deadlines:
paused, resumed, stopped). History records actor, time, remark and the
public wording; internal notes are kept apart and never shown to the applicant.
"""

from datetime import UTC, datetime

from app.models import ServiceRequest
from app.models.base import stored_id
from app.models.requests import HistoryEntry, InternalNote

from . import (
    access,
    audit,
    catalogue,
    deadlines,
    documents,
    due_hours,
    engine,
    events,
    fees,
    forms,
    seniors,
    service_types,
    stats,
    uploads,
)
from .catalogue import APPLICANT_ROLES

__all__ = [
    "WorkflowError",
    "FeeUnpaid",
    "TransitionNotAllowed",
    "NotVisible",
    "RemarkRequired",
    "SelfApprovalForbidden",
    "StaleState",
    "apply_transition",
    "available_actions",
    "assign",
    "reopen",
    "add_note",
    "may_note",
]


REPORT_PREFIX = "report_"


class WorkflowError(Exception):
    """Base of the engine's typed errors; `http_status` is the HTTP status views answer with."""

    http_status = 400


class NotVisible(WorkflowError):
    """The actor may not see this request at all (views answer 404)."""

    http_status = 404


class TransitionNotAllowed(WorkflowError):
    """No such action from the current state, or not for this actor's role."""

    http_status = 403


class RemarkRequired(WorkflowError):
    http_status = 400


class SelfApprovalForbidden(WorkflowError):
    http_status = 403


class ReportInvalid(WorkflowError):
    """The step's structured report is incomplete or wrong: `errors` maps report_<field> to a
    message (views answer 400 naming the field)."""

    http_status = 400

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class FeeUnpaid(WorkflowError):
    """The step waits for the request's fee to be paid (services.fees)."""

    http_status = 409


class StaleState(WorkflowError):
    """Someone else changed the request first; reload and try again."""

    http_status = 409


def version_key(request):
    """The claim that lets exactly one writer move `request` on from its current version."""
    return f"request:{request.id}:v{request.version}"


def write_over_version(request, to=None, **updates):
    """Every write to a request after its submission (services.engine.write_status): claim its
    version, write `updates` (and the new status `to`) with its status and version in the filter,
    and move the version on. StaleState (409) when someone else moved it first. Returns the
    request as written; `request` itself is left as it was read."""
    updated = engine.write_status(
        request, to, claim=version_key(request), in_place=False, **updates
    )
    if updated is None:
        raise StaleState(request.number)
    return updated


def _is_applicant(request, actor):
    return getattr(actor, "id", None) == stored_id(request, "applicant")


def _actor_role(request, actor, transition, held):
    """The role under which `actor` may take `transition`, or None.

    `held` is access.roles_over(actor, request), computed once by the caller: the roles the
    actor holds through postings that cover this request's station, district or state. A role
    held elsewhere gives no power here.
    """
    for role in transition["roles"]:
        if role in APPLICANT_ROLES:
            if _is_applicant(request, actor) and actor.has_role(role):
                return role
            # Filed at the desk and not yet claimed: the citizen comes back to the desk, which
            # takes their steps for them (bring documents, withdraw).
            if (
                role == "citizen"
                and stored_id(request, "applicant") is None
                and stored_id(request, "filed_by") is not None
                and access.may(actor, "requests.file_assisted", request)
            ):
                return "desk"
        elif role in held:
            return role
    return None


def available_actions(request, actor):
    """The transitions `actor` may take now: [(transition, role)]."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    definition = service_types.definition_of(request)
    held = access.roles_over(actor, request)
    result = []
    for transition in catalogue.transitions_from(definition, request.status):
        if transition.get("via"):  # taken by another module (the FIR register), not a button
            continue
        role = _actor_role(request, actor, transition, held)
        if role and not _self_approval_blocked(request, actor, transition):
            result.append((transition, role))
    return result


def _self_approval_blocked(request, actor, transition):
    if transition.get("self_approval", True):
        return False
    if _is_applicant(request, actor):
        return True
    last = request.history[-1] if request.history else None
    return bool(last and stored_id(last, "actor") == actor.id)


def _report(transition, report, actor, now):
    """(data, attachments) of the step's structured report, or ReportInvalid naming fields."""
    spec = catalogue.report_of(transition)
    if not spec["fields"]:
        return None, []
    data, errors = forms.clean(spec, report if isinstance(report, dict) else {}, now)
    attachments: list = []
    if not errors:
        attachments, errors = uploads.attachments_for(
            catalogue.field_map(spec), data, actor, prefix=REPORT_PREFIX
        )
    if errors:
        raise ReportInvalid({REPORT_PREFIX + str(name): error for name, error in errors.items()})
    return data, attachments


def apply_transition(
    request,
    action,
    actor,
    remark="",
    now=None,
    expected_version=None,
    via=None,
    report=None,
):
    """Take `action` on `request` as `actor`; returns the updated request.

    `expected_version` is the version the actor's screen showed; if the request has moved on
    since, StaleState (409) rather than a confusing "not allowed in this state". A transition
    marked `via: <module>` in its definition is taken only by that module (passing `via`): a
    complaint becomes "FIR registered" only when the FIR register puts an FIR on record.
    """
    now = now or datetime.now(UTC)
    if not (_is_applicant(request, actor) or access.can_see(actor, request)):
        raise NotVisible(request.number)
    if expected_version is not None and expected_version != request.version:
        raise StaleState(request.number)
    definition = service_types.definition_of(request)
    candidates = [
        t for t in catalogue.transitions_from(definition, request.status) if t["action"] == action
    ]
    if not candidates:
        raise TransitionNotAllowed(f"'{action}' is not possible while '{request.status}'")
    transition = candidates[0]
    if transition.get("via") != via:
        raise TransitionNotAllowed(f"'{action}' is taken through the {transition['via']} module")
    role = _actor_role(request, actor, transition, access.roles_over(actor, request))
    if role is None:
        raise TransitionNotAllowed(f"your role may not '{action}'")
    remark = (remark or "").strip()
    if len(remark) > 2000:
        raise RemarkRequired("remark too long")
    if transition.get("remark") == "required" and not remark:
        raise RemarkRequired(action)
    if _self_approval_blocked(request, actor, transition):
        raise SelfApprovalForbidden(action)
    if fees.blocks(request, action):
        raise FeeUnpaid(action)
    report_data, attachments = _report(transition, report, actor, now)

    target = transition["to"]
    info = catalogue.state_info(definition, target)
    entry = HistoryEntry(
        at=now,
        actor=actor,
        actor_role=role,
        action=action,
        from_state=request.status,
        to_state=target,
        remark=remark or None,
        public_en=info["public"]["en"],
        public_hi=info["public"]["hi"],
        report=report_data,
    )
    updates = {
        "push__history": entry,
        "set__updated_at": now,
    }
    if attachments:
        updates["push_all__attachments"] = attachments
    if info.get("final"):
        updates["set__closed_at"] = now
        updates["set__is_open"] = False
    updates.update(deadlines.on_transition(request, definition, target, now))
    if role == "station_officer" and request.assigned_to is None:
        updates["set__assigned_to"] = actor
    updated = write_over_version(request, target, **updates)
    due_hours.reach_back(updates)
    if attachments:
        uploads.mark_attached([a.file_id for a in attachments], updated)
    audit.record(
        "request.transition",
        actor=actor,
        target=updated,
        state=updated.state,
        step=action,
        to=target,
        version=updated.version,
    )
    if info.get("final"):
        stats.closed(updated)
    if info.get("issues"):
        documents.issue(updated, info["issues"], now)
    if info.get("enrols") == "senior_citizen":
        seniors.enrol(updated, now)
    detail = {"to_state": target, "remark": remark or None}
    events.record(updated, "transition", updated.version, now=now, detail=detail)
    return updated


def reopen(request, back_to, actor, role, remark, now=None):
    """Put a closed request back to `back_to` with a fresh clock (an appeal allowed against a
    rejection): the same claim, compare-and-set, history, audit entry and event as a step."""
    now = now or datetime.now(UTC)
    definition = service_types.definition_of(request)
    info = catalogue.state_info(definition, back_to)
    entry = HistoryEntry(
        at=now,
        actor=actor,
        actor_role=role,
        action="reopen_on_appeal",
        from_state=request.status,
        to_state=back_to,
        remark=remark,
        public_en=info["public"]["en"],
        public_hi=info["public"]["hi"],
    )
    clock = deadlines.restart(request, definition, now)
    updated = write_over_version(
        request,
        back_to,
        set__closed_at=None,
        set__is_open=True,
        push__history=entry,
        set__updated_at=now,
        **clock,
    )
    due_hours.reach_back(clock)
    stats.reopened(request)  # as it was: its closure is taken back from that month's figures
    audit.record(
        "request.reopen",
        actor=actor,
        target=updated,
        state=updated.state,
        to=back_to,
        version=updated.version,
    )
    detail = {"to_state": back_to, "remark": remark or None}
    events.record(updated, "transition", updated.version, now=now, detail=detail)
    return updated


def assign(request, officer, actor):
    """An SHO (or supervisor) assigns an enquiry officer of the request's station."""
    if not access.may(actor, "requests.assign", request):
        raise TransitionNotAllowed("assign")
    if "station_officer" not in access.roles_over(officer, request):
        raise TransitionNotAllowed("the officer is not posted at this station")
    return write_over_version(request, set__assigned_to=officer)


NOTE_PERMISSIONS = ("requests.process", "requests.approve")


def may_note(actor, request):
    """Whether `actor` may write an internal note: an officer who works or decides this request.

    Seeing a request (an auditor, a state administrator) is not enough: notes are a write.
    """
    return any(access.may(actor, permission, request) for permission in NOTE_PERMISSIONS)


def add_note(request, actor, text, now=None):
    """An internal note by an officer who works the request; audited (who, when, how long)."""
    if not access.can_see(actor, request):
        raise NotVisible(request.number)
    if not may_note(actor, request):
        raise TransitionNotAllowed("note")
    text = (text or "").strip()
    if not text or len(text) > 2000:
        raise RemarkRequired("note")
    ServiceRequest.objects(id=request.id).update_one(
        push__notes=InternalNote(author=actor, text=text, at=now or datetime.now(UTC))
    )
    audit.record("request.note", actor=actor, target=request, state=request.state, length=len(text))
    return request.reload()
