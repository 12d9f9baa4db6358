"""FIRs online: the public listing of FIRs on record, as the Supreme Court requires (Youth Bar
Association of India v. Union of India, 2016: within 24 hours of registration, except sensitive
ones), and the SHO's power to withhold one.

- An FIR is listed from the moment it goes on record (services.firs sets its `public_keys`),
  unless it is sensitive by category or section, or its SHO withholds it with a reason. Withheld
  is for good: the listing never shows it again, and a public copy already issued is revoked.
- What is listed is the register's facts only: number, station, district, date of registration,
  offence category, sections, status and the time of the occurrence. Never a name, an address, a
  phone number or the informant's words (free text cannot be redacted reliably, so none is shown).
- The listing reads one registration day of one state or station at a time by equality on
  `public_keys` (bounded by design: a state registers a few hundred FIRs a day), sorts that day
  itself and walks back day by day, at most MAX_DAYS per call; the cursor says where to go on.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.constants import IST
from app.models import Fir, IssuedDocument, PoliceStation, State
from app.models.base import as_utc

from . import access, audit, claims, documents, firs
from .firs import FirError

MAX_DAYS = 31  # days one call may walk back through before it hands a cursor over
MAX_LIMIT = 100
LISTED_FIELDS = (
    "number",
    "year",
    "state",
    "district",
    "station",
    "status",
    "category",
    "sections",
    "registered_at",
    "occurred_from",
    "zero",
    "transferred_from",
)


@dataclass(frozen=True)
class Cursor:
    day: date
    skip: int = 0

    def __str__(self):
        return f"{self.day.isoformat()}.{self.skip}"

    @classmethod
    def parse(cls, text):
        """A cursor from its text, or None for a malformed one (a 400 to the caller)."""
        try:
            day, skip = str(text).split(".")
            return cls(date.fromisoformat(day), int(skip))
        except ValueError:
            return None


def today(now=None):
    return (now or datetime.now(UTC)).astimezone(IST).date()


def listing(place_code, year, cursor=None, limit=20, now=None):
    """(FIRs, next cursor or None): the public FIRs of the state or station `place_code`
    registered in `year`, newest first. A page may hold fewer than `limit` FIRs while the
    cursor still goes on (quiet days); the listing ends when the cursor is None."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    first, last = date(year, 1, 1), min(date(year, 12, 31), today(now))
    day, skip = (cursor.day, cursor.skip) if cursor else (last, 0)
    day = min(day, last)
    found: list = []
    for _walked in range(MAX_DAYS):
        if day < first:
            return found, None
        rows = _day(place_code, day)
        taken = rows[skip : skip + limit - len(found)]
        found.extend(taken)
        if skip + len(taken) < len(rows):
            return found, Cursor(day, skip + len(taken))
        day, skip = day - timedelta(days=1), 0
        if len(found) >= limit:
            break
    return found, (Cursor(day) if day >= first else None)


def _day(place_code, day):
    rows = Fir.objects(public_keys=f"{place_code}:{day.isoformat()}").only(*LISTED_FIELDS)
    # Sorted here, on the day's bounded set (FerretDB sorts without an index anyway).
    return sorted(rows, key=lambda f: (as_utc(f.registered_at), f.number or ""), reverse=True)


def place(state_code, station_code=""):
    """(state, station or None, errors): the place a listing asks for."""
    errors = {}
    state = State.objects(code=str(state_code or "").strip().upper()[:10]).first()
    if state is None:
        errors["state"] = _l("Choose a state.")
    station = None
    if station_code:
        station = PoliceStation.objects(code=str(station_code).strip().upper()[:40]).first()
        if station is None or state is None or station.state.id != state.id:
            errors["station"] = _l("Choose a police station of that state.")
    return state, station, errors


def withhold(fir, officer, reason, now=None):
    """The SHO keeps `fir` off the public listing for good, with a reason kept for officers.
    A public copy already issued is revoked, so its verification page stops showing it."""
    now = now or datetime.now(UTC)
    if "sho" not in access.roles_over(officer, fir.station):
        raise FirError({"fir": _l("Only the SHO of the police station withholds an FIR.")}, 403)
    reason = str(reason or "").strip()
    if not reason:
        raise FirError({"withheld_reason": _l("Give the reason for withholding this FIR.")})
    if len(reason) > 1000:
        raise FirError({"withheld_reason": _l("At most %(count)d characters.", count=1000)})
    if fir.withheld_reason or fir.sensitive:
        raise FirError({"fir": _l("This FIR is already kept from the public.")}, status=409)
    withheld = {
        "set__withheld_reason": reason,
        "set__withheld_by": officer,
        "set__withheld_at": now,
        "set__public_keys": [],
        "inc__version": 1,
    }
    if not Fir.objects(id=fir.id, version=fir.version).update_one(**withheld):
        raise FirError({"fir": _l("Someone changed this FIR meanwhile. Reload it.")}, status=409)
    audit.record("fir.withhold", actor=officer, target=fir, state=fir.state)
    _revoke_public_copy(fir, officer, now)
    # The same case under its other number (a Zero FIR and its re-registration) goes with it.
    for linked in (fir.transferred_to, fir.transferred_from):
        if linked is not None:
            if not linked.withheld_reason:
                Fir.objects(id=linked.id).update_one(**withheld)
            _revoke_public_copy(linked, officer, now)
    return fir.reload()


def _revoke_public_copy(fir, officer, now):
    copy = IssuedDocument.objects(request_kind=public_copy_key(fir), revoked_at=None).first()
    if copy is not None and claims.take(f"document:{copy.code}:revoke"):
        IssuedDocument.objects(code=copy.code).update_one(
            set__revoked_at=now, set__revoked_by=officer, set__revoked_reason="withheld"
        )


def public_copy_key(fir):
    return f"fir:{fir.id}:fir_public_copy"


def public_copy(fir, now=None):
    """The redacted, signed public copy of a public FIR, issued once."""
    if not firs.is_public(fir):
        raise FirError({"fir": _l("Not found.")}, status=404)
    category = {}
    for language in ("en", "hi"):
        with force_locale(language):
            category[language] = str(firs.CATEGORIES.get(fir.category, fir.category))
    return documents.issue_fir_public_copy(fir, public_copy_key(fir), category, now)


def backfill():
    """Give every FIR on record its listing keys (FIRs registered before the listing existed);
    returns how many were changed. Run by `flask seed`, once per database (a claim)."""
    changed = 0
    if not claims.take("backfill:fir_public_keys:v1"):
        return changed
    for fir in Fir.objects(status__in=list(firs.ON_RECORD)).only(
        "state", "station", "registered_at", "sensitive", "withheld_reason", "public_keys"
    ):
        if fir.registered_at is None:
            continue
        keys = firs.public_keys(fir, fir.registered_at)
        if keys != list(fir.public_keys or []):
            Fir.objects(id=fir.id).update_one(set__public_keys=keys)
            changed += 1
    return changed
