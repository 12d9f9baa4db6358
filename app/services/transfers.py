"""Moving a request to another police station of its state: a wrong or shared PIN code, or an
applicant who chose the wrong station, without the applicant withdrawing and filing again.

An officer of the request's station proposes a transfer with a reason and the SHO (or a district
supervisor over the station: `requests.transfer`) decides; the SHO may also transfer at once.
The applicant of an open request may ask for a transfer, which the SHO decides the same way.

A transfer moves the request's station and district and clears its enquiry officer; access
follows `station`, so the receiving station sees it at once and the sending station no longer
does. The history says from where, to where and why (the applicant reads it), the audit trail
records it and an event tells the applicant and the receiving station's SHO. The clock
continues by default; a definition may say `transfer: {clock: restart}` to give the receiving
station a fresh designated limit.

Every write goes through workflow.write_over_version (claim, version in the filter): of two
people deciding at once, one wins and the other is refused with a 409.
"""

from datetime import UTC, datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.models import PoliceStation
from app.models.base import stored_id
from app.models.requests import HistoryEntry, TransferProposal

from . import access, audit, deadlines, due_hours, events, service_types, workflow
from .catalogue import APPLICANT_ROLES

CLOCK_RULES = ("continue", "restart")
MAX_REASON = 500
DECIDERS = ("sho", "district_supervisor")
# History lines, worded in both languages when written (the applicant reads either).
MOVED = _l("Transferred from %(old)s to %(new)s")
ASKED = _l("Transfer to %(new)s asked for")
REFUSED = _l("Transfer to %(new)s refused")


class TransferError(workflow.WorkflowError):
    """Input at fault: `errors` maps the field (station, reason, approve) to a message."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def clock_rule(definition):
    """'continue' (the default) or 'restart': what a transfer does to the request's clock."""
    return (definition.get("transfer") or {}).get("clock", "continue")


def _is_applicant(request, user):
    return getattr(user, "id", None) == stored_id(request, "applicant")


def may_decide(user, request):
    """Whether `user` may transfer `request` at once or decide a proposal: an SHO or supervisor
    over its station, while it is open."""
    return bool(request.is_open) and access.may(user, "requests.transfer", request)


def may_propose(user, request):
    """Whether `user` may propose a transfer for the SHO to decide: an officer of its station."""
    return (
        bool(request.is_open)
        and request.transfer_proposal is None
        and access.may(user, "requests.process", request)
        and not may_decide(user, request)
    )


def may_ask(user, request):
    """Whether the applicant may ask for a transfer (an open request, none asked already)."""
    return (
        bool(request.is_open) and request.transfer_proposal is None and _is_applicant(request, user)
    )


def stations_to(request):
    """The stations of the request's state it may move to, by name (a state has hundreds at
    most: an indexed equality on the state)."""
    stations = PoliceStation.objects(state=stored_id(request, "state")).only(
        "code", "name_en", "name_hi", "district"
    )
    here = stored_id(request, "station")
    return sorted((s for s in stations if s.id != here), key=lambda s: s.name_en)


def _checked(request, station_code, reason):
    errors = {}
    station = None
    if not isinstance(station_code, str) or not station_code.strip():
        errors["station"] = _l("Choose the police station to transfer it to.")
    else:
        station = PoliceStation.objects(code=station_code.strip().upper()[:24]).first()
        if station is None or stored_id(station, "state") != stored_id(request, "state"):
            errors["station"] = _l("Choose a police station of this state.")
        elif station.id == stored_id(request, "station"):
            errors["station"] = _l("It is already at this police station.")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        errors["reason"] = _l("Give the reason for the transfer.")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _l("Keep the reason under 500 characters.")
    if errors:
        raise TransferError(errors)
    return station, reason


def _role(user, request):
    if _is_applicant(request, user):
        return next((r for r in APPLICANT_ROLES if user.has_role(r)), "citizen")
    held = access.roles_over(user, request)
    return next((r for r in (*DECIDERS, "station_officer") if r in held), "staff")


def _wording(message, **stations):
    """{language: text} of a history line, each language with its own station names."""
    worded = {}
    for language in ("en", "hi"):
        names = {key: s.name_in(language) for key, s in stations.items()}
        with force_locale(language):
            worded[language] = (str(message) % names)[:200]
    return worded


def _entry(request, user, role, action, remark, wording, now):
    return HistoryEntry(
        at=now,
        actor=user,
        actor_role=role,
        action=action,
        from_state=request.status,
        to_state=request.status,
        remark=remark,
        public_en=wording["en"],
        public_hi=wording["hi"],
    )


def transfer(request, user, station_code, reason, now=None):
    """Move `request` to the station `station_code` at once (an SHO or supervisor); returns the
    request as written. TransferError names the field at fault; TransitionNotAllowed (403) for
    anyone else; StaleState (409) when someone changed it first."""
    now = now or datetime.now(UTC)
    if not may_decide(user, request):
        raise workflow.TransitionNotAllowed("transfer")
    station, reason = _checked(request, station_code, reason)
    return _move(request, user, station, reason, now)


def _move(request, user, station, reason, now, proposal=None):
    old = request.station
    wording = _wording(MOVED, old=old, new=station)
    updates = {
        "set__station": station,
        "set__district": station.district,
        "set__assigned_to": None,
        "set__transfer_proposal": None,
        "set__updated_at": now,
        "push__history": _entry(
            request, user, _role(user, request), "transfer", reason, wording, now
        ),
    }
    definition = service_types.definition_of(request)
    if clock_rule(definition) == "restart" and request.due_at is not None:
        updates.update(deadlines.restart(request, definition, now))
    updated = workflow.write_over_version(request, **updates)
    due_hours.reach_back(updates)
    audit.record(
        "request.transfer",
        actor=user,
        target=updated,
        state=updated.state,
        from_station=old.code,
        to_station=station.code,
        proposed_by=proposal.by_role if proposal is not None else "",
        version=updated.version,
    )
    detail = {"from_station": old.code, "to_station": station.code, "reason": reason}
    events.record(updated, "transferred", updated.version, now=now, detail=detail)
    return updated


def propose(request, user, station_code, reason, now=None):
    """An officer proposes, or the applicant asks for, a transfer the SHO will decide; returns
    the request with its proposal."""
    now = now or datetime.now(UTC)
    if not (may_propose(user, request) or may_ask(user, request)):
        raise workflow.TransitionNotAllowed("propose transfer")
    station, reason = _checked(request, station_code, reason)
    role = _role(user, request)
    proposal = TransferProposal(at=now, to_station=station, reason=reason, by=user, by_role=role)
    updates = {"set__transfer_proposal": proposal, "set__updated_at": now}
    if _is_applicant(request, user):
        # The applicant's own request is part of the story they read.
        wording = _wording(ASKED, new=station)
        updates["push__history"] = _entry(request, user, role, "ask_transfer", reason, wording, now)
    updated = workflow.write_over_version(request, **updates)
    audit.record(
        "request.transfer_proposed",
        actor=user,
        target=updated,
        state=updated.state,
        to_station=station.code,
        version=updated.version,
    )
    detail = {"to_station": station.code, "reason": reason, "by_role": role}
    events.record(updated, "transfer_proposed", updated.version, now=now, detail=detail)
    return updated


def decide(request, user, approve, remark="", now=None):
    """The SHO approves (the request moves) or refuses (it stays; `remark` says why) the
    pending proposal; returns the request as written."""
    now = now or datetime.now(UTC)
    proposal = request.transfer_proposal
    if proposal is None:
        raise TransferError({"approve": _l("No transfer is waiting for a decision.")})
    if not may_decide(user, request):
        raise workflow.TransitionNotAllowed("decide transfer")
    if not isinstance(approve, bool):
        raise TransferError({"approve": _l("Say whether the transfer is approved.")})
    remark = remark.strip()[:MAX_REASON] if isinstance(remark, str) else ""
    if approve:
        station = PoliceStation.objects(id=stored_id(proposal, "to_station")).first()
        if station is None:
            raise TransferError({"station": _l("Choose a police station of this state.")})
        reason = proposal.reason if not remark else f"{proposal.reason} — {remark}"
        return _move(request, user, station, reason[:MAX_REASON], now, proposal)
    if not remark:
        raise TransferError({"remark": _l("Say why the transfer is refused.")})
    updates = {"set__transfer_proposal": None, "set__updated_at": now}
    if proposal.by_role in APPLICANT_ROLES:
        station = PoliceStation.objects(id=stored_id(proposal, "to_station")).first()
        wording = _wording(REFUSED, new=station)
        updates["push__history"] = _entry(
            request, user, _role(user, request), "refuse_transfer", remark, wording, now
        )
    updated = workflow.write_over_version(request, **updates)
    audit.record(
        "request.transfer_refused",
        actor=user,
        target=updated,
        state=updated.state,
        version=updated.version,
    )
    # Whoever proposed or asked is told why: the officer's proposal does not just vanish.
    to_station = PoliceStation.objects(id=stored_id(proposal, "to_station")).only("code").first()
    detail = {
        "to_station": to_station.code if to_station else "",
        "reason": remark,
        "proposer": str(stored_id(proposal, "by")),
    }
    events.record(updated, "transfer_refused", updated.version, now=now, detail=detail)
    return updated
