"""Senior citizens registered with their station, and the beat officer's visits.

enrol() runs when a senior-citizen registration reaches a state marked `enrols: senior_citizen`;
the station's `senior_visit_days` sets the schedule. record_visit() is the beat officer's entry
(date, remarks, optional photo); flag_missed_visits() is the sweep's step that escalates a visit
not recorded by its due date to the SHO, once per due date.
"""

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.models import SeniorCitizen, Upload
from app.models.base import as_utc
from app.models.seniors import SeniorVisit

from . import access, audit, claims, events, uploads
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
            or request.applicant.display_name
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
    return bool(access.roles_over(officer, senior) & set(VISIT_ROLES))


def record_visit(senior, officer, at, remarks="", photo_file_id=None, now=None):
    """Record a visit on `at` (a datetime); the next one falls due `visit_every_days` later."""
    now = now or datetime.now(UTC)
    if not access.can_see(officer, senior):
        raise VisitError({"senior": _l("Not found.")}, status=404)
    if not can_record(officer, senior):
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
    SeniorCitizen.objects(id=senior.id).update_one(
        push__visits=visit, set__next_visit_due=next_due, set__updated_at=now
    )
    audit.record("senior.visit", actor=officer, target=senior, state=senior.state)
    return senior.reload()


def flag_missed_visits(now):
    """Escalate each visit past its due date to the station's SHO, once per due date."""
    flagged = 0
    for senior in SeniorCitizen.objects(active=True, next_visit_due__lte=now).limit(200):
        due = as_utc(senior.next_visit_due)
        if as_utc(senior.missed_notified_for) == due:
            continue
        if claims.take(f"senior:{senior.id}:missed:{due.isoformat()}"):
            events.record(senior.request, "senior_visit_missed", due.toordinal(), now=now)
            flagged += 1
        SeniorCitizen.objects(id=senior.id).update_one(set__missed_notified_for=due)
    return flagged
