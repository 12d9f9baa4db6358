"""Submitting, editing and reading service requests.

submit() routes the request to a station (by PIN code or the applicant's choice), coerces the
data with the station's state's live definition, attaches the uploads, allocates a number and sets
the deadline. Nothing is written until everything has been checked.
"""

import hashlib
import json
import logging
import time
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from app.constants import IST
from app.models import Claim, Fir, IdempotencyRecord, PoliceStation, ServiceRequest, State
from app.models.base import stored_id
from app.models.firs import FIR_ON_RECORD
from app.models.requests import DataVersion, HistoryEntry

from . import (
    audit,
    catalogue,
    claims,
    deadlines,
    documents,
    due_hours,
    events,
    fees,
    forms,
    numbering,
    request_search,
    service_types,
    sla,
    stats,
    uploads,
)
from .errors import FieldErrors
from .workflow import write_over_version

log = logging.getLogger(__name__)


class SubmissionError(FieldErrors):
    """Bad input; `errors` maps field names to messages."""


class NotAllowed(PermissionError):
    """The caller's role may not apply for this service."""

    http_status = 403


class UnknownService(LookupError):
    http_status = 404


def applicable_roles(definition, user):
    return [role for role in definition["applicants"] if user.has_role(role)]


def _roles_applying(definition, user, walk_in):
    """The applicant roles the filer applies under: a walk-in is a citizen."""
    if walk_in is not None:
        return ["citizen"] if "citizen" in definition["applicants"] else []
    return applicable_roles(definition, user)


def _applicant_fields(user, walk_in):
    if walk_in is None:
        return {"applicant": user, "applicant_name": (user.full_name or "")[:120]}
    return {
        "applicant": None,
        "applicant_name": walk_in.name[:120],
        "filed_by": user,
        "walk_in_mobile": walk_in.mobile,
        "walk_in_email": walk_in.email or None,
        "walk_in_language": walk_in.language,
    }


def _guess_state(user):
    """The id of the state whose catalogue to read the form by (no query when the user has one)."""
    state = stored_id(user, "state")
    return state if state is not None else State.objects.order_by("code").first().id


def stations_serving(pincode):
    """The stations whose area includes `pincode`, by code (more than one where a boundary
    runs through it)."""
    return list(PoliceStation.objects(pincodes=pincode).order_by("code").limit(10))


def two_stations_message(stations):
    names = ", ".join(s.name_en for s in stations)
    return _l(
        "This PIN code is served by more than one police station (%(names)s): choose yours.",
        names=names,
    )


def _route(definition, data, station_code):
    """The station for a request, or SubmissionError naming the field at fault."""
    routing = definition["routing"]
    if routing["by"] == "pincode":
        pincode = data.get(routing["field"])
        if pincode is None:
            return None
        found = stations_serving(pincode)
        if not found:
            raise SubmissionError(
                {routing["field"]: _l("No police station on this portal serves this PIN code.")}
            )
        if len(found) == 1:
            return found[0]
        # Two stations share the PIN (a boundary runs through it): the applicant chooses.
        chosen = next((s for s in found if s.code == str(station_code or "").strip()), None)
        if chosen is None:
            raise SubmissionError({"station": two_stations_message(found)})
        return chosen
    if not isinstance(station_code, str) or not station_code.strip():
        raise SubmissionError({"station": _l("Choose the police station.")})
    station = PoliceStation.objects(code=station_code.strip()[:24]).first()
    if station is None:
        raise SubmissionError({"station": _l("Unknown police station.")})
    return station


def _attachments(definition, data, applicant):
    """Attachment records for the file fields, or errors naming the fields."""
    return uploads.attachments_for(catalogue.field_map(definition), data, applicant)


def body_hash(service, station, data):
    """A stable hash of a submission, for Idempotency-Key comparisons."""
    text = json.dumps(
        {"service": service, "station": station, "data": data}, sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def idempotency_key_of(user, key):
    return f"{user.id}:{key}"


def earlier_submission(user, key):
    """(request, body hash) recorded for this caller's Idempotency-Key, or (None, None)."""
    record = IdempotencyRecord.objects(key=idempotency_key_of(user, key)).first()
    return (record.request, record.body_hash) if record else (None, None)


def remember_key(user, key, digest, request):
    IdempotencyRecord(key=idempotency_key_of(user, key), body_hash=digest, request=request).save()


class KeyReused(SubmissionError):
    """The Idempotency-Key was used before with a different body."""

    http_status = 422


class KeyBusy(SubmissionError):
    """A submission with this Idempotency-Key is being made right now."""

    http_status = 409


def submit_once(
    user,
    service_code,
    data,
    station_code=None,
    key=None,
    now=None,
    language="en",
    stations=None,
    bulk=False,
):
    """submit() under the caller's Idempotency-Key: (request, created). A key seen before with
    the same body gives that request again (created False); with another body, KeyReused. The
    key is claimed before submitting, so two simultaneous calls with a new key make one request
    (the other gets KeyBusy); a refused submission frees it, so a corrected retry may use it."""
    key = (key or "").strip()[:200] or None

    def attempt():
        return submit(
            user,
            service_code,
            data,
            station_code,
            key,
            now=now,
            language=language,
            stations=stations,
            bulk=bulk,
        )

    if key is None:
        return attempt(), True
    digest = body_hash(service_code, station_code, data)
    earlier, earlier_digest = earlier_submission(user, key)
    if earlier is not None:
        if earlier_digest != digest:
            raise KeyReused({"Idempotency-Key": _l("This key was used with a different request.")})
        return earlier, False
    if not claims.take(idempotency_key_of(user, key)):
        raise KeyBusy(
            {"Idempotency-Key": _l("A request with this key is being made. Retry shortly.")}
        )
    try:
        return attempt(), True
    except (SubmissionError, NotAllowed, UnknownService):
        Claim.objects(key=idempotency_key_of(user, key)).delete()
        raise


def submit(
    user,
    service_code,
    data,
    station_code=None,
    idempotency_key=None,
    now=None,
    language="en",
    walk_in=None,
    stations=None,
    dry_run=False,
    bulk=False,
):
    """Check and save a new request (with `dry_run`, check only: None when it would pass).
    Raises SubmissionError, NotAllowed or UnknownService; the definition's own messages
    (eligibility) are worded in `language`. With `bulk` (services.bulk) the applicant is not
    told of each submission: the upload listed them all. `stations`, when given,
    are the only station codes the request may go to (an API key's scope). With `walk_in` (see
    services.assisted) `user` files at the desk for a citizen without an account here: the
    request has no applicant until they claim it, and is a citizen's request in every rule."""
    now = now or datetime.now(UTC)
    if not isinstance(service_code, str) or not catalogue.CODE.match(service_code):
        raise SubmissionError({"service": _l("Unknown service.")})
    guess = service_types.current(_guess_state(user), service_code)
    if guess is None:
        raise UnknownService(service_code)
    if not _roles_applying(guess.definition, user, walk_in):
        raise NotAllowed(service_code)
    if not isinstance(data, dict):
        raise SubmissionError({"data": _l("Must be an object of field values.")})

    clean, errors = forms.clean(guess.definition, data, now, language)
    station = None
    try:
        station = _route(guess.definition, clean, station_code)
    except SubmissionError as error:
        errors.update(error.errors)
    if errors:
        raise SubmissionError(errors)
    # Found or an error: catalogue.validate() makes the PIN code a request is routed by required.
    assert station is not None
    if stations is not None and station.code not in stations:
        raise NotAllowed(service_code)
    live = guess
    if stored_id(station, "state") != guess.state:
        live = service_types.current(stored_id(station, "state"), service_code)
        if live is None:
            raise SubmissionError({"station": _l("This service is not offered in that state.")})
        clean, errors = forms.clean(live.definition, data, now, language)
        if errors:
            raise SubmissionError(errors)
    definition = live.definition
    attachments, errors = _attachments(definition, clean, user)
    if errors:
        raise SubmissionError(errors)
    if dry_run:
        return None

    year = now.astimezone(IST).year
    initial = definition["workflow"]["initial"]
    info = catalogue.state_info(definition, initial)
    clock, late = deadlines.start(station.state, definition, now), False
    filer_due, _hours = sla.filer_deadline(definition, clean)
    if filer_due is not None:
        late = now > filer_due
    role = "desk" if walk_in else applicable_roles(definition, user)[0]
    request = ServiceRequest(
        number=numbering.next_number(station.state.code, definition["number_prefix"], year),
        service=service_code,
        service_version=live.version,
        state=station.state,
        district=station.district,
        station=station,
        **_applicant_fields(user, walk_in),
        subject_name=request_search.subject_name(definition, clean),
        search_keys=request_search.keys(
            definition,
            clean,
            walk_in.name if walk_in else user.full_name,
            walk_in.mobile if walk_in else user.mobile,
        ),
        data=clean,
        attachments=attachments,
        fee=fees.assess(definition, clean, now.astimezone(IST).date()),
        status=initial,
        submitted_at=now,
        closed_at=now if info.get("final") else None,
        is_open=not info.get("final"),
        **(clock if not info.get("final") else {}),
        late=late,
        history=[
            HistoryEntry(
                at=now,
                actor=user,
                actor_role=role,
                action="submit",
                from_state=None,
                to_state=initial,
                public_en=info["public"]["en"],
                public_hi=info["public"]["hi"],
            )
        ],
    ).save()
    if not info.get("final"):
        due_hours.reach_back(clock)
    if idempotency_key:
        remember_key(user, idempotency_key, body_hash(service_code, station_code, data), request)
    if attachments:
        uploads.mark_attached([a.file_id for a in attachments], request)
    audit.record("request.submit", actor=user, target=request, state=request.state)
    stats.received(request)
    if info.get("final"):
        stats.closed(request)
    if info.get("final") and info.get("issues"):  # an instant service, e.g. a lost-article report
        documents.issue(request, info["issues"], now)
    detail = {"to_state": initial, "remark": None}  # what it said on submission, if sent late
    if bulk:
        detail["bulk"] = True
    events.record(request, "submitted", request.version, now=now, detail=detail)
    log.info("request %s submitted at %s", request.number, station.code)
    return request


def edit(request, user, data, now=None, language="en"):
    """The applicant changes the data while the request is in an editable state; the earlier
    data is kept in previous_data so the officer sees what changed."""
    now = now or datetime.now(UTC)
    if stored_id(request, "applicant") != user.id:
        raise NotAllowed(request.number)
    definition = service_types.definition_of(request)
    if not catalogue.state_info(definition, request.status).get("editable_by_applicant"):
        raise NotAllowed("not editable now")
    clean, errors = forms.clean(definition, data, now, language)
    for spec in definition["fields"]:
        # Only the mask of an Aadhaar number is stored, so a form cannot show it again; left
        # empty in an edit, it keeps the stored value.
        name = spec["name"]
        if spec["type"] == "aadhaar" and name not in clean and name in request.data:
            clean[name] = request.data[name]
            errors.pop(name, None)
    routing = definition["routing"]
    if (
        not errors
        and routing["by"] == "pincode"
        and clean.get(routing["field"]) != request.data.get(routing["field"])
    ):
        errors[routing["field"]] = _l(
            "The PIN code decides the police station and cannot be changed; withdraw and apply again."  # noqa: E501
        )
    attachments, file_errors = _attachments(definition, clean, user)
    errors.update(file_errors)
    if errors:
        raise SubmissionError(errors)

    updated = write_over_version(
        request,
        set__data=clean,
        set__subject_name=request_search.subject_name(definition, clean),
        set__search_keys=request_search.keys(
            definition, clean, request.applicant_name, getattr(user, "mobile", None)
        ),
        set__attachments=attachments,
        push__previous_data=DataVersion(at=now, data=request.data),
        set__updated_at=now,
    )
    return updated


def backfill_open_flag():
    """Give requests written before `is_open` existed their flag (idempotent; run by seed)."""
    missing = ServiceRequest.objects(is_open=None)
    return missing.filter(closed_at=None).update(set__is_open=True) + missing.filter(
        closed_at__ne=None
    ).update(set__is_open=False)


def backfill_clock_hours():
    """Give running clocks written before the due-hour buckets existed their hours
    (idempotent; run by seed). One write per such request, once."""
    done = 0
    for clock in due_hours.CLOCKS:
        missing = ServiceRequest.objects(
            **{f"{clock}_at__ne": None, f"{clock}_hour": None}, paused_at=None, closed_at=None
        ).only("id", f"{clock}_at")
        for request in missing:
            values = due_hours.updates(clock, getattr(request, f"{clock}_at"))
            done += ServiceRequest.objects(id=request.id).update_one(**values)
            due_hours.reach_back(values)
    return done


# What public_status() reads: the public lookup loads these, not the applicant's data and history.
PUBLIC_STATUS_FIELDS = (
    "number",
    "service",
    "service_version",
    "state",
    "station",
    "applicant",
    "status",
    "submitted_at",
    "due_at",
)


def find_by_number(number, only=None):
    """The request with this number (only the fields named, if any), or None; MalformedNumber
    for a bad check character."""
    numbering.parse(number)
    query = ServiceRequest.objects(number=number.strip().upper())
    return (query.only(*only) if only else query).first()


# A station's public name and phone, per process for a minute: the public status is the most
# read page, and a station renamed or given a new number may show the old one for that minute.
STATION_CARD_SECONDS = 60
_station_cards: dict[object, tuple[float, tuple[str, str, str | None]]] = {}


def _station_card(station_id):
    now = time.monotonic()
    cached = _station_cards.get(station_id)
    if cached is None or cached[0] < now:
        station = PoliceStation.objects(id=station_id).only("name_en", "name_hi", "phone").first()
        card = (station.name_en, station.name_hi, station.phone) if station else ("", "", None)
        cached = _station_cards[station_id] = (now + STATION_CARD_SECONDS, card)
    return cached[1]


def public_status(request, language="en", viewer=None):
    """What anyone may see with the number: never personal data.

    For a service whose definition says `public_status: minimal` only the number and its stage
    are told, unless the viewer is the applicant: sequential numbers must not let anyone list
    who complained at which station.
    """
    definition = service_types.definition_of(request)
    info = catalogue.state_info(definition, request.status)
    is_applicant = getattr(viewer, "id", None) == stored_id(request, "applicant")
    if definition.get("public_status") == "minimal" and not is_applicant:
        return {
            "number": request.number,
            "status_text": info["public"].get(language) or info["public"]["en"],
            "final": bool(info.get("final")),
        }
    name_en, name_hi, phone = _station_card(stored_id(request, "station"))
    found = {
        "number": request.number,
        "service": request.service,
        "service_name": definition["name"].get(language) or definition["name"]["en"],
        "status": request.status,
        "status_text": info["public"].get(language) or info["public"]["en"],
        "final": bool(info.get("final")),
        "submitted_on": request.submitted_at.astimezone(IST).date().isoformat(),
        "due_on": request.due_at.astimezone(IST).date().isoformat() if request.due_at else None,
        "station": name_hi if language == "hi" and name_hi else name_en,
        "station_phone": phone,
    }
    if is_applicant and catalogue.fir_transition(definition) is not None:  # a complaint
        found.update(_fir_of(request))
    return found


def _fir_of(request):
    """The FIR on record from the applicant's complaint, told to the applicant only."""
    fir = (
        Fir.objects(complaint=request.id, status__in=sorted(FIR_ON_RECORD))
        .only("number", "station")
        .first()
    )
    if fir is None:
        return {}
    return {"fir": {"id": str(fir.id), "number": fir.number, "station": fir.station.code}}
