"""Public registers: officers record entries, the SHO publishes them, the public searches them.

What each kind records comes from seed/registers.yaml (checked like a service's form fields):
fields marked `public` are the only ones that leave the police; the photograph only when the
kind says so. Entries are searched through `search_text` (lower-cased public text) and
`vehicle_keys` (registration, chassis and engine numbers without spaces or dashes), so the
look-ups are plain equality and "contains" that FerretDB runs without regular expressions.

A found person or unidentified body is matched against missing persons of the same state (sex,
age range, height, dates, district) when either is recorded; the SHOs of both stations are told.
"""

import os
from datetime import UTC, date, datetime
from functools import lru_cache

import yaml
from flask_babel import lazy_gettext as _l

from app import db
from app.models import RegisterEntry
from app.models.registers import RegisterMatch

from . import access, audit, authorities, catalogue, engine, events, forms, uploads
from .errors import FieldErrors
from .numbering import next_sequence
from .seed_files import SEED_DIR

REGISTERS_FILE = os.path.join(SEED_DIR, "registers.yaml")
RECORDING_ROLES = ("station_officer", "sho")
MATCH_REASONS = {
    "sex": _l("sex"),
    "age": _l("age"),
    "height": _l("height"),
    "dates": _l("dates"),
    "district": _l("same district"),
}
MATCH_THRESHOLD = 3  # sex alone never matches; sex plus two of age, height, date, place do
PAGE = 50


class RegisterError(FieldErrors):
    pass


@lru_cache(maxsize=1)
def kinds():
    """{kind: definition} from seed/registers.yaml, checked once per process."""
    with open(REGISTERS_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    found = {}
    for kind, definition in (data.get("kinds") or {}).items():
        catalogue.check_fields(
            definition.get("fields"), f"registers.yaml: {kind}", extra_keys=("public",)
        )
        for name in definition.get("search") or []:
            if name not in {f["name"] for f in definition["fields"]}:
                raise catalogue.DefinitionError(f"registers.yaml: {kind}", [f"search: {name}"])
        found[kind] = definition
    return found


def definition(kind):
    found = kinds().get(kind)
    if found is None:
        raise RegisterError({"kind": _l("Unknown register.")}, status=404)
    return found


def public_fields(kind):
    return [spec for spec in definition(kind)["fields"] if spec.get("public")]


def normalise_vehicle(text):
    return "".join(ch for ch in str(text or "").upper() if ch.isalnum())[:40]


# --- recording --------------------------------------------------------------------------------


def _officer_at(officer, station, roles):
    """Whether `officer` holds one of `roles` through a posting that covers `station`."""
    return bool(access.roles_over(officer, station) & set(roles))


def record(officer, station, kind, raw, photo_file_id=None, fir=None, now=None):
    """A pending entry of `kind` at `station`, from the officer's form; RegisterError names the
    fields that are wrong and nothing is saved. An entry may cite an FIR of the station; never
    a sensitive one (its people must not reach a public register)."""
    now = now or datetime.now(UTC)
    spec = definition(kind)
    if not _officer_at(officer, station, RECORDING_ROLES):
        raise RegisterError({"station": _l("You are not posted at this police station.")}, 403)
    data, errors = forms.clean({"fields": spec["fields"]}, raw, now=now)
    if "age_min" in data and "age_max" in data and data["age_min"] > data["age_max"]:
        errors["age_max"] = _l("Cannot be less than the lower age.")
    if photo_file_id and not spec.get("photo"):
        errors["photo"] = _l("This register takes no photograph.")
    if fir is not None and (fir.sensitive or fir.station.id != station.id):
        errors["fir"] = _l("This FIR cannot be cited in a public register.")
    if errors:
        raise RegisterError({k: v for k, v in errors.items()})
    entry = RegisterEntry(
        kind=kind,
        state=station.state,
        district=station.district,
        station=station,
        data=data,
        photo_file_id=photo_file_id,
        created_by=officer,
        fir=fir,
        search_text=_search_text(spec, data),
        vehicle_keys=_vehicle_keys(spec, data),
        feed_seq=0,
    ).save()
    uploads.mark_used([photo_file_id])
    audit.record("register.record", actor=officer, target=entry, state=entry.state, kind=kind)
    if spec.get("match", {}).get("side") == "found":
        match(entry)
    return entry


def _search_text(spec, data):
    names = spec.get("search") or []
    return " ".join(str(data.get(name, "")) for name in names).lower()[:4000]


def _vehicle_keys(spec, data):
    vehicle = spec.get("vehicle") or {}
    keys = [normalise_vehicle(data.get(field)) for field in vehicle.values()]
    return [key for key in keys if key]


def publish(entry, sho, now=None):
    """The SHO of the entry's station approves it: it becomes public."""
    now = now or datetime.now(UTC)
    if not _officer_at(sho, entry.station, ("sho",)):
        raise RegisterError({"entry": _l("Only the SHO of this police station publishes it.")}, 403)
    if entry.status != "pending":
        raise RegisterError({"entry": _l("Only a pending entry is published.")}, 409)
    MACHINE.step(
        entry,
        "publish",
        sho,
        now=now,
        updates=lambda: {
            "set__approved_by": sho,
            "set__published_at": now,
            "set__feed_seq": next_feed_seq(),
        },
    )
    if definition(entry.kind).get("match", {}).get("side") == "missing":
        match(entry)
    return entry


def withdraw(entry, officer, reason, now=None):
    """Take an entry off the public register (the person was found, the vehicle returned)."""
    if not _officer_at(officer, entry.station, RECORDING_ROLES):
        raise RegisterError({"entry": _l("You are not posted at this police station.")}, 403)
    reason = str(reason or "").strip()
    if not reason:
        raise RegisterError({"reason": _l("Say why it is withdrawn.")})
    if entry.status == "withdrawn":
        raise RegisterError({"entry": _l("It is withdrawn already.")}, 409)
    MACHINE.step(
        entry,
        "withdraw",
        officer,
        now=now,
        remark=reason,
        updates=lambda: {"set__withdrawn_reason": reason[:500], "set__feed_seq": next_feed_seq()},
    )
    return entry


def _roles_of(entry, actor):
    """The roles `actor` holds over `entry` in seed/workflows/register_entry.yaml's terms."""
    return set(access.roles_over(actor, entry.station) & set(RECORDING_ROLES))


MACHINE = engine.register(
    engine.Machine(
        "register_entry",
        RegisterEntry,
        _roles_of,
        roles=RECORDING_ROLES,
        error=RegisterError,
        error_field="entry",
    )
)


def next_feed_seq():
    """A number larger than every earlier one: the feed's cursor orders changes by it.

    $inc is not atomic on FerretDB 1.24 (see services.numbering), so the value is claimed
    through the same allocator as request numbers."""

    return next_sequence("register-feed", lambda n: f"register-feed:{n}")


# --- matching ---------------------------------------------------------------------------------


def _age_range(spec, data):
    age = spec.get("age")
    if isinstance(age, list):
        return data.get(age[0]), data.get(age[1])
    value = data.get(age)
    return (value, value) if value is not None else (None, None)


def _as_date(value):
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def score(missing, found):
    """(score, reasons) of a found person or body against a missing person; 0 when the sexes
    differ, the ages cannot overlap, or the person was found before going missing."""
    ms, fs = definition(missing.kind)["match"], definition(found.kind)["match"]
    if missing.data.get(ms["sex"]) != found.data.get(fs["sex"]):
        return 0, []
    reasons, points = ["sex"], 1
    low, high = _age_range(ms, missing.data)
    f_low, f_high = _age_range(fs, found.data)
    if None not in (low, f_low):
        if high + 3 < f_low or low - 3 > f_high:  # three years' leeway on an apparent age
            return 0, []
        points, reasons = points + 1, reasons + ["age"]
    height, f_height = missing.data.get(ms.get("height")), found.data.get(fs.get("height"))
    if height and f_height:
        if abs(height - f_height) > 10:
            return 0, []
        points, reasons = points + 1, reasons + ["height"]
    since, on = _as_date(missing.data.get(ms["date"])), _as_date(found.data.get(fs["date"]))
    if since and on:
        if on < since:
            return 0, []
        points, reasons = points + 1, reasons + ["dates"]
    if missing.district.id == found.district.id:
        points, reasons = points + 1, reasons + ["district"]
    return points, reasons


def match(entry):
    """Match `entry` against the other side in its state; record and announce the matches."""
    side = definition(entry.kind)["match"]["side"]
    other_side = "missing" if side == "found" else "found"
    others = RegisterEntry.objects(
        kind__in=_kinds_on(other_side), state=entry.state, status__in=["pending", "published"]
    ).limit(2000)
    pairs = [(o, entry) if side == "found" else (entry, o) for o in others]
    made = 0
    for missing, found in pairs:
        points, reasons = score(missing, found)
        if points < MATCH_THRESHOLD:
            continue
        if any(m.entry.id == missing.id for m in found.matches):
            continue
        # Pushed, not saved whole: a step taken on the entry meanwhile is not written over.
        found.matches.append(RegisterMatch(entry=missing, score=points, reasons=reasons))
        RegisterEntry.objects(id=found.id).update_one(push__matches=found.matches[-1])
        _announce_match(missing, found, points)
        made += 1
    return made


def _kinds_on(side):
    return [k for k, d in kinds().items() if d.get("match", {}).get("side") == side]


def _announce_match(missing, found, points):
    """Record the match as an event (services.events): the worker tells the SHOs of both
    stations, once per pair, in their language (services.notify)."""
    events.record(
        found,
        "register_match",
        points,
        detail={"missing": str(missing.id), "points": points},
        part=str(missing.id),
    )


def match_notice(missing, found, points, language):
    """The values of the notice an SHO reads about a possible match, in `language`
    (services.notice_templates' "register_match")."""
    return {
        "points": points,
        "found": _kind_name(found.kind, language),
        "found_station": found.station.name_in(language),
        "name": missing.data.get("name", ""),
        "missing_station": missing.station.name_in(language),
    }


def match_audience(missing, found):
    """The SHOs of both stations (one list when they are the same station)."""
    stations = {missing.station.id: missing.station, found.station.id: found.station}
    return [sho for station in stations.values() for sho in authorities.holders("sho", station)]


def _kind_name(kind, language):
    names = definition(kind)["name"]
    return names.get(language) or names["en"]


# --- what the public sees ---------------------------------------------------------------------


def public_view(entry, language):
    """The entry's public fields as people read them, for pages, the API and the feed."""
    return _view(entry, public_fields(entry.kind), language)


def officer_view(entry, language):
    """Every field, marked public or not, for the police."""
    return _view(entry, definition(entry.kind)["fields"], language)


def _view(entry, specs, language):
    shown = []
    for spec in specs:
        value = entry.data.get(spec["name"])
        if value in (None, ""):
            continue
        shown.append(
            {
                "name": spec["name"],
                "label": spec["label"].get(language) or spec["label"]["en"],
                "value": str(forms.display(spec, value, language)),
                "public": bool(spec.get("public")),
            }
        )
    return shown


def public_data(entry):
    """{name: value} of the public fields, as stored (open data and the feed)."""
    return {
        spec["name"]: entry.data[spec["name"]]
        for spec in public_fields(entry.kind)
        if entry.data.get(spec["name"]) not in (None, "")
    }


def has_public_photo(entry):
    return bool(entry.photo_file_id) and bool(
        (definition(entry.kind).get("photo") or {}).get("public")
    )


def search(kind, q="", registration="", chassis="", engine="", state=None, limit=PAGE):
    """Published entries of `kind` matching the words of `q` (all of them), or the vehicle
    numbers given; newest first."""
    definition(kind)
    query = RegisterEntry.objects(kind=kind, status="published")
    if state is not None:
        query = query.filter(state=state)
    keys = [normalise_vehicle(v) for v in (registration, chassis, engine) if normalise_vehicle(v)]
    if keys:
        query = query.filter(vehicle_keys__in=keys)
    words = [w for w in str(q or "").lower().split() if w][:5]
    for word in words:
        query = query.filter(search_text=db.icontains(word))
    return list(query.order_by("-published_at").limit(limit))


def photo_path(entry):
    return uploads.checked_path(entry.photo_file_id)
