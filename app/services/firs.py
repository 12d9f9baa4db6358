"""FIRs under BNSS 2023 s.173: registration, e-FIR confirmation, Zero FIRs, preliminary enquiry,
and the case progress the complainant follows.

- Numbers run per station and year ("0123/2026"); Zero FIRs have their own series ("Z-0004/2026").
  A number is taken only when the FIR is on record, so a lapsed e-FIR or a closed enquiry leaves
  no gap in the station's register.
- An FIR drafted from a complaint made online is an e-FIR: it is on record only once the informant
  confirms it, signing with their name, within three days; the sweep lapses it after that and
  tells them. The complaint is marked "FIR registered" when the FIR is on record.
- Offences whose sections all carry three to less than seven years may first get a preliminary
  enquiry of up to 14 days; the sweep tells the SHO when one runs over.
- A Zero FIR is registered for a place under another station and transferred; that station
  re-registers it under its own number, and each FIR points at the other.
- A FIR is sensitive when its category or any section is (sexual offences, offences against
  children, terrorism, juveniles, kidnapping for ransom, protected victims), or when its SHO
  withholds it with a reason: it is never found by the public search, the listing, the API or
  open data. Every other FIR on record is listed publicly, redacted, from the moment it is
  registered (services.fir_listing; the Supreme Court requires it within 24 hours).
- An informant at the desk gives a mobile (optional: not everyone has one) and an address; the
  complainant's notices go to that mobile by SMS when there is no account.
"""

import logging
import secrets
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.constants import IST
from app.models import Fir, LawSection, PoliceStation, State
from app.models.base import as_utc, stored_id
from app.models.firs import FIR_ON_RECORD, Arrest, CaseUpdate, CourtCase, Hearing

from . import (
    access,
    audit,
    catalogue,
    claims,
    engine,
    events,
    numbering,
    service_types,
    workflow,
)
from .errors import FieldErrors
from .field_types import mobile_number

log = logging.getLogger(__name__)
CONFIRM_WITHIN = timedelta(days=3)
ENQUIRY_WITHIN = timedelta(days=14)
REGISTERING_ROLES = ("station_officer", "sho")
CATEGORIES = {
    "theft": _l("Theft"),
    "vehicle_theft": _l("Vehicle theft"),
    "burglary": _l("House-breaking or burglary"),
    "robbery": _l("Robbery or snatching"),
    "cheating": _l("Cheating or fraud"),
    "cyber": _l("Cyber crime"),
    "hurt": _l("Hurt or assault"),
    "intimidation": _l("Criminal intimidation"),
    "death": _l("Murder or death by negligence"),
    "women": _l("Offence against a woman"),
    "sexual_offence": _l("Sexual offence"),
    "child": _l("Offence against a child"),
    "kidnapping_ransom": _l("Kidnapping for ransom"),
    "terrorism": _l("Terrorism"),
    "juvenile": _l("Juvenile in conflict with law"),
    "protected_victim": _l("Victim's identity protected by law"),
    "other": _l("Other"),
}
SENSITIVE_CATEGORIES = {
    "sexual_offence",
    "child",
    "kidnapping_ransom",
    "terrorism",
    "juvenile",
    "protected_victim",
}
OUTCOMES = {
    "convicted": _l("Convicted"),
    "acquitted": _l("Acquitted"),
    "discharged": _l("Discharged"),
    "compounded": _l("Compounded (settled)"),
}
ON_RECORD = FIR_ON_RECORD


LANGUAGES = ("hi", "en")


class FirError(FieldErrors):
    pass


def is_public(fir):
    """Whether the public may see this FIR (listing, status search, redacted copy)."""
    return fir.status in ON_RECORD and not fir.sensitive and not fir.withheld_reason


def public_keys(fir, registered_at):
    """The listing's day buckets of an FIR registered at `registered_at`: its state's and its
    station's registration day in IST (see models.firs); none for an FIR the public may not see."""
    if fir.sensitive or fir.withheld_reason:
        return []
    day = as_utc(registered_at).astimezone(IST).date().isoformat()
    return [f"{fir.state.code}:{day}", f"{fir.station.code}:{day}"]


def _mobile(value, errors):
    """An optional Indian mobile number, typed with spaces, dashes or +91 as people do."""
    mobile = mobile_number(value)
    if str(value or "").strip() and not mobile:
        errors["informant_mobile"] = _l("Enter a 10-digit mobile number, or leave it empty.")
    return mobile


def _roles_of(fir, actor):
    """The roles `actor` holds over `fir` in seed/workflows/fir.yaml's terms."""
    held = set(access.roles_over(actor, fir.station) & set(REGISTERING_ROLES))
    if fir.complainant is not None and stored_id(fir, "complainant") == actor.id:
        held.add("owner")
    if fir.jurisdiction_station is not None and _officer_at(
        actor, fir.jurisdiction_station, ("sho",)
    ):
        held.add("receiving_sho")
    return held


def _clock_notice(fir, event, now):
    events.record(fir, event, fir.version, now=now)


MACHINE = engine.register(
    engine.Machine(
        "fir",
        Fir,
        _roles_of,
        roles=("station_officer", "sho", "owner", "receiving_sho"),
        error=FirError,
        notice=_clock_notice,
        clock_fields=("confirm_by", "enquiry_due", "enquiry_notified"),
    )
)


# --- who may act ------------------------------------------------------------------------------


def _officer_at(officer, station, roles=REGISTERING_ROLES):
    """Whether `officer` holds one of `roles` through a posting that covers `station`."""
    return bool(access.roles_over(officer, station) & set(roles))


def _require(officer, station, roles=REGISTERING_ROLES):
    if not _officer_at(officer, station, roles):
        raise FirError({"station": _l("You are not posted at this police station.")}, status=403)


# --- reading input ----------------------------------------------------------------------------


def law_sections(codes):
    """The active LawSections named by `codes`, in that order; FirError for any unknown one."""
    codes = [str(c).strip() for c in codes or [] if str(c).strip()]
    if not codes:
        raise FirError({"sections": _l("Choose at least one section of law.")})
    found = {s.code: s for s in LawSection.objects(code__in=codes, active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise FirError({"sections": _l("Unknown section: %(code)s", code=unknown[0])})
    return [found[c] for c in codes]


def enquiry_allowed(sections):
    """BNSS s.173(3): every offence punishable with three years or more but less than seven."""
    return bool(sections) and all(3 <= s.max_years < 7 for s in sections)


def _moment(value, field, errors, required=True):
    if value in (None, ""):
        if required:
            errors[field] = _l("Enter a date and time.")
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        errors[field] = _l("Enter a date and time as YYYY-MM-DDTHH:MM.")
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=IST)
    return parsed.astimezone(UTC)


def _text(value, field, errors, limit, required=True):
    text = str(value or "").strip()
    if required and not text:
        errors[field] = _l("This field is required.")
    elif len(text) > limit:
        errors[field] = _l("At most %(count)d characters.", count=limit)
    return text


# --- registration -----------------------------------------------------------------------------


def register(officer, station, form, complaint=None, now=None):
    """Register (or, for an e-FIR, draft) an FIR at `station` from the officer's `form`:
    informant_name, informant_mobile, informant_address and informant_language (at the desk),
    category, sections (codes), occurred_from, occurred_to, place, brief, accused_known, accused,
    zero + jurisdiction_station (code), preliminary_enquiry."""
    now = now or datetime.now(UTC)
    _require(officer, station)
    errors: dict = {}
    informant = _text(form.get("informant_name"), "informant_name", errors, 120)
    at_desk = complaint is None
    mobile = _mobile(form.get("informant_mobile"), errors) if at_desk else ""
    address = _text(form.get("informant_address"), "informant_address", errors, 500, at_desk)
    language = str(form.get("informant_language") or "hi")
    if language not in LANGUAGES:
        errors["informant_language"] = _l("Choose Hindi or English.")
    category = str(form.get("category") or "")
    if category not in CATEGORIES:
        errors["category"] = _l("Choose a category.")
    try:
        sections = law_sections(form.get("sections"))
    except FirError as error:
        errors.update(error.errors)
        sections = []
    occurred_from = _moment(form.get("occurred_from"), "occurred_from", errors)
    occurred_to = _moment(form.get("occurred_to"), "occurred_to", errors, required=False)
    if occurred_from and occurred_from > now + timedelta(minutes=5):
        errors["occurred_from"] = _l("Cannot be in the future.")
    if occurred_from and occurred_to and occurred_to < occurred_from:
        errors["occurred_to"] = _l("Cannot be before the start.")
    place = _text(form.get("place"), "place", errors, 500)
    brief = _text(form.get("brief"), "brief", errors, 5000)
    accused_known = bool(form.get("accused_known"))
    accused = _text(form.get("accused"), "accused", errors, 1000, required=accused_known)
    zero = bool(form.get("zero"))
    jurisdiction = None
    if zero:
        code = str(form.get("jurisdiction_station") or "").strip().upper()
        jurisdiction = PoliceStation.objects(code=code).first() if code else None
        if jurisdiction is None or jurisdiction.id == station.id:
            errors["jurisdiction_station"] = _l(
                "Name the police station where it happened (another station)."
            )
    enquiry = bool(form.get("preliminary_enquiry"))
    if enquiry and sections and not enquiry_allowed(sections):
        errors["preliminary_enquiry"] = _l(
            "A preliminary enquiry is allowed only when every offence is punishable with three "
            "years or more but less than seven."
        )
    if complaint is not None:
        _check_complaint(complaint, station, zero, errors)
    if errors:
        raise FirError(errors)

    fir = Fir(
        key=_draft_key(),
        state=station.state,
        district=station.district,
        station=station,
        complaint=complaint,
        complainant=complaint.applicant if complaint else None,
        informant_name=informant,
        informant_mobile=mobile or None,
        informant_address=address or None,
        informant_language=language,
        electronic=complaint is not None,
        sections=[s.code for s in sections],
        category=category,
        sensitive=category in SENSITIVE_CATEGORIES or any(s.sensitive for s in sections),
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        place=place,
        accused_known=accused_known,
        accused=accused,
        brief=brief,
        registered_by=officer,
        investigating_officer=officer,
        zero=zero,
        jurisdiction_station=jurisdiction,
        status="draft",
    ).save()
    audit.record(
        "fir.register", actor=officer, target=fir, state=fir.state, electronic=fir.electronic
    )
    if enquiry:
        MACHINE.step(
            fir,
            "open_enquiry",
            officer,
            now=now,
            updates={"set__enquiry_due": now + ENQUIRY_WITHIN},
        )
    elif fir.electronic:
        MACHINE.step(
            fir, "draft_efir", officer, now=now, updates={"set__confirm_by": now + CONFIRM_WITHIN}
        )
        events.record(fir, "fir_confirm", fir.version, now=now)
    else:
        _take_on_record(fir, "take_on_record", officer, now)
    return fir


def _draft_key():
    """A unique key for an FIR not yet on record (see models.firs: never empty)."""
    return f"draft:{secrets.token_hex(8)}"


def _check_complaint(complaint, station, zero, errors):
    definition = service_types.definition_of(complaint)
    if catalogue.fir_transition(definition) is None:
        errors["complaint"] = _l("Only a complaint becomes an FIR.")
    elif catalogue.fir_transition(definition, complaint.status) is None:
        errors["complaint"] = _l("Start the enquiry on the complaint first.")
    elif complaint.station.id != station.id and not zero:
        errors["complaint"] = _l("The complaint is at another police station.")
    elif Fir.objects(
        complaint=complaint.id, status__nin=["draft", "lapsed", "enquiry_closed"]
    ).first():
        errors["complaint"] = _l("An FIR already exists for this complaint.")


def _take_on_record(fir, action, actor, now, updates=None, remark=""):
    """Take `action` (one that puts the FIR on record): it gets its number in the station's
    register, and its complaint is marked. The number is taken only once the step's claim is
    held, so a refused step leaves no gap in the register."""
    year = now.astimezone(IST).year
    series = "Z" if fir.zero else ""
    code = fir.station.code

    def numbered():
        seq = numbering.next_sequence(
            f"fir:{code}:{series}{year}", lambda n: f"fir:{code}:{series}{year}:{n}"
        )
        return {
            **(updates or {}),
            "set__key": f"{code}/{series}{year}/{seq}",
            "set__number": f"{'Z-' if fir.zero else ''}{seq:04d}/{year}",
            "set__year": year,
            "set__registered_at": now,
            "set__public_keys": public_keys(fir, now),
        }

    MACHINE.step(fir, action, actor, now=now, remark=remark, updates=numbered)
    step = None
    if fir.complaint is not None:
        step = catalogue.fir_transition(
            service_types.definition_of(fir.complaint), fir.complaint.status
        )
    if step is not None:
        try:
            workflow.apply_transition(
                fir.complaint,
                step["action"],
                fir.registered_by,
                remark=f"FIR {fir.number}, {fir.station.name_en}",
                now=now,
                via="fir",
            )
        except workflow.WorkflowError as error:
            # The FIR is on record whatever happens to the complaint (its officer may have been
            # posted away since drafting it); the complaint's page links the FIR all the same.
            log.warning(
                "FIR %s on record; complaint %s not marked: %s", fir.id, fir.complaint.id, error
            )
    events.record(fir, "fir_registered", fir.version, now=now)
    return fir


def confirm(fir, user, signed_name, now=None):
    """The informant confirms (signs) an e-FIR within three days: it goes on record."""
    now = now or datetime.now(UTC)
    if fir.complainant is None or fir.complainant.id != user.id:
        raise FirError({"fir": _l("Not found.")}, status=404)
    if fir.status != "pending_confirmation":
        raise FirError({"fir": _l("This FIR is not waiting for your confirmation.")}, status=409)
    if now > as_utc(fir.confirm_by):
        raise FirError({"fir": _l("The three days to confirm have passed.")}, status=409)
    typed = " ".join(str(signed_name or "").split()).casefold()
    if typed != " ".join(fir.informant_name.split()).casefold():
        raise FirError({"signed_name": _l("Type your name exactly as on the FIR to sign it.")})
    signed = {"set__confirmed_at": now, "set__confirmed_as": signed_name.strip()[:120]}
    return _take_on_record(fir, "confirm", user, now, signed)


def conclude_enquiry(fir, officer, register_it, reasons, now=None):
    """End a preliminary enquiry: register the FIR, or close it with written reasons."""
    now = now or datetime.now(UTC)
    _require(officer, fir.station, ("sho",))
    if fir.status != "preliminary_enquiry":
        raise FirError({"fir": _l("No preliminary enquiry is open.")}, status=409)
    reasons = str(reasons or "").strip()
    if not reasons:
        raise FirError({"text": _l("Write the findings of the enquiry.")})
    findings = {
        "push__updates": CaseUpdate(at=now, kind="enquiry", text=reasons[:2000], by=officer)
    }
    if register_it and not fir.electronic:
        return _take_on_record(fir, "register_after_enquiry", officer, now, findings, reasons)
    if register_it:
        findings["set__confirm_by"] = now + CONFIRM_WITHIN
        MACHINE.step(fir, "efir_after_enquiry", officer, now=now, remark=reasons, updates=findings)
        events.record(fir, "fir_confirm", fir.version, now=now)
        return fir
    MACHINE.step(fir, "close_enquiry", officer, now=now, remark=reasons, updates=findings)
    events.record(fir, "fir_enquiry_closed", fir.version, now=now, detail={"reasons": reasons})
    return fir


# --- Zero FIR ---------------------------------------------------------------------------------


def transfer(fir, officer, now=None):
    """Send a Zero FIR to the station with jurisdiction; its SHO is told."""
    now = now or datetime.now(UTC)
    _require(officer, fir.station, ("sho",))
    if not fir.zero or fir.status != "registered":
        raise FirError({"fir": _l("Only a registered Zero FIR is transferred.")}, status=409)
    moved = CaseUpdate(
        at=now, kind="transfer", detail={"station": fir.jurisdiction_station.code}, by=officer
    )
    MACHINE.step(fir, "transfer", officer, now=now, updates={"push__updates": moved})
    events.record(fir, "fir_transferred", fir.version, now=now)
    return fir


def reregister(zero_fir, officer, now=None):
    """The station with jurisdiction re-registers a transferred Zero FIR under its own number."""
    now = now or datetime.now(UTC)
    station = zero_fir.jurisdiction_station
    _require(officer, station, ("sho",))
    if zero_fir.status != "transferred" or zero_fir.transferred_to is not None:
        raise FirError({"fir": _l("This Zero FIR is not waiting to be re-registered.")}, status=409)
    if not claims.take(f"fir:{zero_fir.id}:reregister"):
        raise FirError({"fir": _l("This Zero FIR is not waiting to be re-registered.")}, status=409)
    fir = Fir(
        key=_draft_key(),
        state=station.state,
        district=station.district,
        station=station,
        complaint=zero_fir.complaint,
        complainant=zero_fir.complainant,
        informant_name=zero_fir.informant_name,
        informant_mobile=zero_fir.informant_mobile,
        informant_address=zero_fir.informant_address,
        informant_language=zero_fir.informant_language,
        electronic=False,
        sections=list(zero_fir.sections),
        category=zero_fir.category,
        sensitive=zero_fir.sensitive,
        withheld_reason=zero_fir.withheld_reason,
        occurred_from=zero_fir.occurred_from,
        occurred_to=zero_fir.occurred_to,
        place=zero_fir.place,
        accused_known=zero_fir.accused_known,
        accused=zero_fir.accused,
        brief=zero_fir.brief,
        registered_by=officer,
        investigating_officer=officer,
        transferred_from=zero_fir,
        status="draft",
    ).save()
    _take_on_record(fir, "take_on_record", officer, now)
    MACHINE.step(zero_fir, "reregister", officer, now=now, updates={"set__transferred_to": fir})
    return fir.reload()


# --- case progress ----------------------------------------------------------------------------

UPDATE_KINDS = ("investigation", "arrest", "charge_sheet", "final_report", "hearing", "outcome")
TEXT_REQUIRED = {"investigation", "charge_sheet", "final_report"}


def update_line(update):
    """One case update as the complainant reads it, in the current locale. The names of arrested
    persons stay with the police; the complainant is told that an arrest was made and when."""
    detail = update.detail or {}
    if update.kind == "arrest":
        line = _("A person was arrested on %(date)s.", date=_local(_parse(detail.get("at"))))
    elif update.kind == "charge_sheet":
        line = _(
            "Charge-sheet filed in %(court)s (case %(case)s).",
            court=detail.get("court", ""),
            case=detail.get("case_number", ""),
        )
    elif update.kind == "final_report":
        line = _("Final report filed: the investigation is closed.")
    elif update.kind == "hearing":
        line = _(
            "Hearing in %(court)s on %(date)s.",
            court=detail.get("court", ""),
            date=_local(_parse(detail.get("on"))),
        )
    elif update.kind == "outcome":
        line = _(
            "%(court)s decided the case: %(outcome)s.",
            court=detail.get("court", ""),
            outcome=OUTCOMES.get(detail.get("outcome", ""), detail.get("outcome", "")),
        )
    elif update.kind == "transfer":
        line = _("Transferred to the police station with jurisdiction.")
    elif update.kind == "enquiry":
        line = _("Preliminary enquiry concluded.")
    else:
        line = ""
    return " ".join(part for part in (str(line), update.text or "") if part)


def _parse(text):
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def record_progress(fir, officer, kind, form, now=None):
    """One step of the case, told to the complainant: an investigation update, an arrest, the
    charge-sheet (with the court and case number) or final report, a hearing, the outcome.
    `form["version"]`, when given, is the version the officer's page showed: a later one is 409."""
    now = now or datetime.now(UTC)
    _require(officer, fir.station)
    seen = str(form.get("version") or fir.version)
    if not seen.isdigit():
        raise FirError({"version": _l("Must be a number.")})
    if kind not in UPDATE_KINDS:
        raise FirError({"kind": _l("Unknown step.")})
    if MACHINE.transition(fir.status, kind) is None:
        raise FirError({"fir": _l("This FIR is not under investigation or trial.")}, status=409)
    errors: dict = {}
    text = _text(form.get("text"), "text", errors, 2000, required=kind in TEXT_REQUIRED)
    detail = {}
    if kind == "arrest":
        name = _text(form.get("name"), "name", errors, 120)
        at = _moment(form.get("at"), "at", errors)
        if at and at > now + timedelta(minutes=5):
            errors["at"] = _l("Cannot be in the future.")
        if not errors:
            fir.arrests.append(Arrest(at=at, name=name, recorded_by=officer))
            detail = {"at": at.isoformat()}
    elif kind == "charge_sheet":
        court = _text(form.get("court"), "court", errors, 200)
        case_number = _text(form.get("case_number"), "case_number", errors, 60)
        if not errors:
            fir.court = CourtCase(court=court, case_number=case_number)
            detail = {"court": court, "case_number": case_number}
    elif kind == "hearing":
        on = _moment(form.get("on"), "on", errors)
        if fir.court is None:
            errors["on"] = _l("Record the charge-sheet and the court first.")
        if not errors:
            fir.court.hearings.append(Hearing(on=on, purpose=text[:200]))
            detail = {"on": on.isoformat(), "court": fir.court.court}
    elif kind == "outcome":
        outcome = str(form.get("outcome") or "")
        if outcome not in OUTCOMES:
            errors["outcome"] = _l("Choose the outcome.")
        if fir.court is None:
            errors["outcome"] = _l("Record the charge-sheet and the court first.")
        if not errors:
            fir.court.outcome, fir.court.outcome_text, fir.court.decided_on = outcome, text, now
            detail = {"outcome": outcome, "court": fir.court.court}
    if errors:
        raise FirError(errors)
    update = CaseUpdate(at=now, kind=kind, text=text, detail=detail, by=officer)
    # Arrests and the court record were changed on the loaded FIR above; they are written whole,
    # over the version they were read at (the step's status comes from seed/workflows/fir.yaml).
    writes = {"push__updates": update, "set__arrests": fir.arrests, "set__court": fir.court}
    MACHINE.step(fir, kind, officer, now=now, seen=int(seen), updates=writes)
    events.record(
        fir, "fir_progress", fir.version, now=now, detail={"update": len(fir.updates) - 1}
    )
    return fir


# --- what people see --------------------------------------------------------------------------


def for_complainant(user, fir_id):
    """The FIR if `user` is its complainant, else None (a 404 to the caller)."""
    return Fir.objects(id=fir_id, complainant=user.id).first()


def public_status(state_code, station_code, year, number):
    """The minimal public view of an FIR on record, or None: unknown, not on record, or
    sensitive all answer alike, so the answer never tells that a sensitive FIR exists."""
    state = State.objects(code=str(state_code or "").upper()).first()
    station = PoliceStation.objects(code=str(station_code or "").upper()).first()
    try:
        year, seq = int(year), int(str(number).split("/")[0].removeprefix("Z-"))
    except (TypeError, ValueError):
        return None
    if state is None or station is None or station.state.id != state.id:
        return None
    zero = str(number).upper().startswith("Z-")
    fir = Fir.objects(key=f"{station.code}/{'Z' if zero else ''}{year}/{seq}").first()
    if fir is None or not is_public(fir):
        return None
    return fir


def page_context(fir, language):
    """What a page about one FIR shows besides the FIR: its sections with their titles, its
    status in `language` and the wording of its steps (the complainant's page and the admin's)."""
    titles = {s.code: s for s in LawSection.objects(code__in=fir.sections)}
    return {
        "sections": [(code, titles.get(code)) for code in fir.sections],
        "status_text": status_text(fir, language),
        "update_line": update_line,
        "outcomes": OUTCOMES,
        "categories": CATEGORIES,
    }


def status_text(fir, language):
    """The FIR's status in `language` (seed/workflows/fir.yaml)."""
    return MACHINE.public_text(fir.status, language)


def statuses(language):
    """{status: wording} of every FIR status in `language`, for the officers' filter."""
    return MACHINE.statuses(language)


def _local(moment):
    return as_utc(moment).astimezone(IST).strftime("%d-%m-%Y %H:%M") if moment else ""


# --- notices (sent by services.notify for the events recorded above) --------------------------

# Who hears of each FIR event: the complainant, the FIR station's SHOs, or those of the station a
# Zero FIR is sent to.
NOTICE_AUDIENCE = {
    "fir_confirm": "complainant",
    "fir_registered": "complainant",
    "fir_lapsed": "complainant",
    "fir_enquiry_closed": "complainant",
    "fir_progress": "complainant",
    "fir_enquiry_overdue": "sho",
    "fir_transferred": "receiving_sho",
}


def notice_values(fir, event, detail, language):
    """The values of an FIR notice's placeholders (services.notice_templates, whose kinds are
    named after the events), in `language`; None when the event says nothing to its audience."""
    detail = detail or {}
    complaint = fir.complaint.number if fir.complaint else ""
    station = fir.station.name_in(language) if fir.station is not None else ""
    if event == "fir_confirm":
        return {"complaint": complaint, "date": _local(fir.confirm_by)}
    if event in ("fir_registered", "fir_transferred"):
        return {"number": fir.number, "station": station}
    if event == "fir_lapsed":
        return {"complaint": complaint}
    if event == "fir_enquiry_closed":
        return {"complaint": complaint, "reasons": detail.get("reasons", "")}
    if event == "fir_enquiry_overdue":
        return {"complaint": complaint, "name": fir.informant_name, "station": station}
    if event == "fir_progress":
        index = detail.get("update")
        if not isinstance(index, int) or not 0 <= index < len(fir.updates):
            return None
        with force_locale(language):
            return {"number": fir.number, "text": str(update_line(fir.updates[index]))}
    return None
