"""The supervisors' and the open data's figures, kept at write time (see models/stats.py).

received() and closed() are called by the request's own writers (submission, the workflow's
final steps); reopened() takes a closure back when an appeal reopens the request. Each inserts a
fact keyed by what happened, so a retry counts nothing twice, and marks the fact's bucket dirty.
fold() (the beat, every minute, one at a time by a claim on the minute) recomputes the dirty
buckets' totals from their facts and then their districts' and states' totals from the
stations', always writing whole values: nothing relies on an atomic `$inc`.
figures() reads the totals of the places a viewer oversees, at the coarsest level that covers
them, for the months asked.
"""

from collections import defaultdict
from datetime import UTC, datetime

from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.constants import IST
from app.models import PoliceStation, ServiceRequest, StatDirty, StatFact, StatTotal
from app.models.base import as_utc, stored_id

from . import access, claims

FIGURES = (
    "received",
    "closed",
    "within_limit",
    "late",
    "timed_closed",
    "timed_within",
    "timed_seconds",
)
FOLD_BATCH = 500
REOPEN_ACTION = "reopen_on_appeal"


def month_of(moment):
    """'YYYY-MM' of `moment` in India."""
    return as_utc(moment).astimezone(IST).strftime("%Y-%m")


def _bucket(request, moment):
    return f"{stored_id(request, 'station')}:{request.service}:{month_of(moment)}"


def _insert(fact):
    try:
        fact.save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        return False  # counted before
    try:
        StatDirty(bucket=fact.bucket).save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        pass  # already waiting for the fold
    return True


def received(request):
    """Count a submission in its month."""
    return _insert(
        StatFact(
            key=f"{request.id}:received",
            bucket=_bucket(request, request.submitted_at),
            kind="received",
        )
    )


def designated_deadline(request):
    """The designated officer's deadline, even after escalations moved `due_at` on."""
    if request.escalations:
        return as_utc(request.escalations[0].missed_due_at)
    return as_utc(request.due_at)


def _closure_number(request):
    """1 for a request's first closure, 2 after one reopening on appeal, and so on."""
    return 1 + sum(1 for entry in request.history if entry.action == REOPEN_ACTION)


def closed(request):
    """Count a decision (a final state) in the month it was made, against the charter limit."""
    closed_at = as_utc(request.closed_at)
    deadline = designated_deadline(request)
    return _insert(
        StatFact(
            key=f"{request.id}:closed:{_closure_number(request)}",
            bucket=_bucket(request, closed_at),
            kind="closed",
            timed=request.due_at is not None,
            within_limit=deadline is None or closed_at <= deadline,
            seconds=(closed_at - as_utc(request.submitted_at)).total_seconds(),
        )
    )


def reopened(request):
    """Take back the closure an allowed appeal undid (`request` as it was before reopening)."""
    number = _closure_number(request)
    closure = StatFact.objects(key=f"{request.id}:closed:{number}").first()
    if closure is None:  # closed before statistics were kept, and not rebuilt since
        return False
    return _insert(
        StatFact(
            key=f"{request.id}:reopened:{number}",
            bucket=closure.bucket,
            kind="closed",
            sign=-1,
            timed=closure.timed,
            within_limit=closure.within_limit,
            seconds=closure.seconds,
        )
    )


# --- folding ----------------------------------------------------------------------------------


def _sum(facts):
    totals = dict.fromkeys(FIGURES, 0)
    for fact in facts:
        sign = fact.get("sign", 1)
        if fact["kind"] == "received":
            totals["received"] += sign
            continue
        totals["closed"] += sign
        totals["within_limit" if fact.get("within_limit") else "late"] += sign
        if fact.get("timed"):
            totals["timed_closed"] += sign
            totals["timed_within"] += sign if fact.get("within_limit") else 0
            totals["timed_seconds"] += sign * fact.get("seconds", 0)
    return totals


def _write(level, place_id, service, month, totals, now):
    StatTotal.objects(key=f"{level}:{place_id}:{service}:{month}").update_one(
        upsert=True,
        set__level=level,
        set__place=f"{level}:{place_id}:{month}",
        set__service=service,
        set__month=month,
        set__computed_at=now,
        **{f"set__{name}": value for name, value in totals.items()},
    )


def _rollup(level, place_id, parts, service, month, now):
    """A district's (or state's) totals: the sum of its stations' (or districts') totals."""
    keys = [f"{part_level}:{part}:{service}:{month}" for part_level, part in parts]
    totals = dict.fromkeys(FIGURES, 0)
    for row in StatTotal.objects(key__in=keys).as_pymongo():
        for name in FIGURES:
            totals[name] += row.get(name, 0)
    _write(level, place_id, service, month, totals, now)


def fold(now=None):
    """Recompute the dirty buckets and what they roll up into; returns how many buckets."""
    now = now or datetime.now(UTC)
    if not claims.take(f"stats-fold:{now.strftime('%Y%m%d%H%M')}"):
        return 0  # another beat folds this minute
    buckets = [row["_id"] for row in StatDirty.objects.limit(FOLD_BATCH).as_pymongo()]
    if not buckets:
        return 0
    # Unmarked before reading: a fact written from here on marks its bucket again.
    StatDirty.objects(bucket__in=buckets).delete()
    parsed = [bucket.split(":") for bucket in buckets]
    stations = {
        str(row["_id"]): row
        for row in PoliceStation.objects(id__in=list({p[0] for p in parsed}))
        .only("district", "state")
        .as_pymongo()
    }
    districts = {}  # (district, service, month) touched → its state
    states = set()
    for bucket, (station_id, service, month) in zip(buckets, parsed, strict=True):
        facts = StatFact.objects(bucket=bucket).only(
            "kind", "sign", "timed", "within_limit", "seconds"
        )
        _write("station", station_id, service, month, _sum(facts.as_pymongo()), now)
        station = stations.get(station_id)
        if station is not None:
            districts[(str(station["district"]), service, month)] = str(station["state"])
    for (district_id, service, month), state_id in districts.items():
        members = PoliceStation.objects(district=district_id).only("id").as_pymongo()
        parts = [("station", str(row["_id"])) for row in members]
        _rollup("district", district_id, parts, service, month, now)
        states.add((state_id, service, month))
    for state_id, service, month in states:
        members = {
            str(row["district"])
            for row in PoliceStation.objects(state=state_id).only("district").as_pymongo()
        }
        parts = [("district", district) for district in members]
        _rollup("state", state_id, parts, service, month, now)
    return len(buckets)


def needs_rebuild():
    """Requests exist but no fact does: written before statistics were kept."""
    return StatFact.objects.first() is None and ServiceRequest.objects.first() is not None


def rebuild():
    """Facts for every request from what it is now (idempotent: the live keys are reused), for
    requests written before statistics were kept. Returns how many facts were new."""
    new = 0
    query = ServiceRequest.objects.only(
        "station", "service", "submitted_at", "closed_at", "due_at", "escalations", "history"
    )
    for request in query:
        new += received(request)
        if request.closed_at is not None:
            new += closed(request)
    return new


# --- reading ----------------------------------------------------------------------------------


def _places(user, months):
    """The `place` keys of the totals that cover what `user` oversees, each counted once."""
    scope = access.scope_of(user)
    places = [("state", state) for state in scope.states]
    if scope.districts:
        rows = PoliceStation.objects(district__in=list(scope.districts)).only("district", "state")
        inside = {row.district.id: row.state.id for row in rows}
        places += [("district", d) for d in scope.districts if inside.get(d) not in scope.states]
    if scope.stations:
        rows = PoliceStation.objects(id__in=list(scope.stations)).only("district", "state")
        places += [
            ("station", row.id)
            for row in rows
            if row.state.id not in scope.states and row.district.id not in scope.districts
        ]
    return [f"{level}:{place}:{month}" for level, place in places for month in months]


def figures(user, months):
    """{(month, service): {figure: value}} over the places `user` oversees."""
    result: defaultdict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    places = _places(user, months)
    if not places:
        return {}
    for row in StatTotal.objects(place__in=places).as_pymongo():
        tally = result[(row["month"], row["service"])]
        for name in FIGURES:
            tally[name] += row.get(name, 0)
    return dict(result)


def district_totals():
    """Every district's totals: [(district id, service, month, figures)], for open data."""
    rows = StatTotal.objects(level="district").as_pymongo()
    return [(row["_id"].split(":")[1], row["service"], row["month"], row) for row in rows]
