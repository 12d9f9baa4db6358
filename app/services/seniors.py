"""Senior citizens registered with their station, and the beat officer's visits.

enrol() runs when a senior-citizen registration reaches a state marked `enrols: senior_citizen`;
the station's `senior_visit_days` sets the schedule. record_visit() is the beat officer's entry
(date, remarks, optional photo); end() is the SHO's, when visits should stop. The registration
is a machine of services.engine (seed/workflows/senior_citizen.yaml): its clock escalates a visit
not recorded by its due date to the SHO, once per due date.
"""

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.models import SeniorCitizen, Upload
from app.models.base import as_utc
from app.models.seniors import SeniorVisit

from . import access, audit, engine, events, uploads
from .errors import FieldErrors

VISIT_ROLES = ("station_officer", "sho")
# How far back a visit may be recorded (a beat officer back from leave enters last week's).
BACKDATE_LIMIT = timedelta(days=30)


class VisitError(FieldErrors):
    """A visit refused: bad input (400), not the officer's station (403/404)."""


def enrol(request, now=None):
    """The SeniorCitizen record of a registration (created once); returns it."""
    now = now or datetime.now(UTC)
    station = request.station
    days = station.senior_visit_days or 7
    senior = SeniorCitizen(
        request=request,
        number=request.number,
        # The senior may be registered by a relative: the form's name, else the account's.
        name=str(
            request.data.get("full_name")
            or request.applicant_name
            or (request.applicant.display_name if request.applicant else "")
        )[:120],
        state=request.state,
        district=request.district,
        station=station,
        visit_every_days=days,
        next_visit_due=now + timedelta(days=days),
    )
    try:
        senior.save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        return SeniorCitizen.objects(request=request.id).first()
    return senior


def can_record(officer, senior):
    return senior.status == "enrolled" and bool(
        access.roles_over(officer, senior) & set(VISIT_ROLES)
    )


def record_visit(senior, officer, at, remarks="", photo_file_id=None, now=None):
    """Record a visit on `at` (a datetime); the next one falls due `visit_every_days` later."""
    now = now or datetime.now(UTC)
    if not access.can_see(officer, senior):
        raise VisitError({"senior": _l("Not found.")}, status=404)
    if not can_record(officer, senior):
        if senior.status != "enrolled":
            raise VisitError({"senior": _l("This registration has ended.")}, 409)
        raise VisitError({"senior": _l("Only the station's officers record visits.")}, 403)
    errors = {}
    if not isinstance(at, datetime):
        errors["at"] = _l("Give the date of the visit.")
    elif as_utc(at) > now:
        errors["at"] = _l("A visit cannot be in the future.")
    elif as_utc(at) < now - BACKDATE_LIMIT:
        errors["at"] = _l("A visit older than 30 days cannot be entered.")
    remarks = (remarks or "").strip()
    if len(remarks) > 1000:
        errors["remarks"] = _l("At most 1000 characters.")
    if photo_file_id:
        upload = Upload.objects(file_id=photo_file_id, owner=officer.id).first()
        if upload is None or not upload.mime.startswith("image/"):
            errors["photo"] = _l("Upload a JPEG or PNG photograph first.")
    if errors:
        raise VisitError(errors)
    at = as_utc(at)
    visit = SeniorVisit(
        at=at, officer=officer, remarks=remarks or None, photo_file_id=photo_file_id or None
    )
    uploads.mark_used([photo_file_id])
    # A back-dated visit older than the current period never pulls the due date earlier.
    next_due = max(at + timedelta(days=senior.visit_every_days), as_utc(senior.next_visit_due))
    # A visit on time, or one that makes up for a missed one, clears the missed-visit flag for
    # the new due date (the sweep's clock tells the SHO again if that one is missed too).
    SeniorCitizen.objects(id=senior.id).update_one(
        push__visits=visit,
        set__next_visit_due=next_due,
        set__visit_missed_notified=False,
        set__updated_at=now,
    )
    audit.record("senior.visit", actor=officer, target=senior, state=senior.state)
    return senior.reload()


def may_end(officer, senior):
    """Whether `officer` may end the registration now (the SHO of the senior's station)."""
    return MACHINE.may(senior, "end", officer)


def end(senior, officer, reason, now=None):
    """End the registration (the senior moved away, passed away or asked to stop): no more
    visits fall due. The reasons are required and kept; returns the senior."""
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise VisitError({"remark": _l("At most 1000 characters.")})
    if not access.can_see(officer, senior):
        raise VisitError({"senior": _l("Not found.")}, status=404)
    return MACHINE.step(
        senior, "end", officer, now=now, remark=reason, updates={"set__ended_reason": reason}
    )


def _roles_of(senior, actor):
    """The roles `actor` holds over `senior` in seed/workflows/senior_citizen.yaml's terms."""
    return {"sho"} & access.roles_over(actor, senior)


def _clock_notice(senior, event, now):
    """The sweep found a visit past its due date: the SHO is told, once per due date."""
    events.record(senior.request, event, as_utc(senior.next_visit_due).toordinal(), now=now)


def _migrate():
    """Registrations written before the engine ran them: `active` becomes the status, and a
    missed visit already told about becomes the flag."""
    collection = SeniorCitizen._get_collection()
    changed = 0
    for active, status in ((False, "ended"), (True, "enrolled")):
        changed += collection.update_many(
            {"status": {"$exists": False}, "active": active}, {"$set": {"status": status}}
        ).modified_count
    for row in collection.find({"missed_notified_for": {"$exists": True}}):
        told = row["missed_notified_for"] == row.get("next_visit_due")
        collection.update_one(
            {"_id": row["_id"]},
            {"$set": {"visit_missed_notified": told}, "$unset": {"missed_notified_for": ""}},
        )
        changed += 1
    changed += collection.update_many(
        {"visit_missed_notified": {"$exists": False}}, {"$set": {"visit_missed_notified": False}}
    ).modified_count
    changed += collection.update_many(
        {"active": {"$exists": True}}, {"$unset": {"active": ""}}
    ).modified_count
    return changed


MACHINE = engine.register(
    engine.Machine(
        "senior_citizen",
        SeniorCitizen,
        _roles_of,
        roles=("sho",),
        error=VisitError,
        error_field="senior",
        notice=_clock_notice,
        clock_fields=("next_visit_due", "visit_missed_notified"),
        migrate=_migrate,
    )
)
