"""Due-hour buckets: how the minute's sweep finds what is due by equality, not by a range.

FerretDB answers top-level equality from a GIN index and evaluates ranges itself over every
document the rest of the filter lets through, so "escalate_at <= now" would read every open
request each minute. Each clock time is therefore stored with its hour (`escalate_hour` beside
`escalate_at`: whole hours since the epoch, UTC), and the sweep reads one hour's bucket at a time
by equality, from a cursor kept per clock (models.clock.SweepCursor) up to the current hour:

- caught up, a sweep reads the cursor and the current hour's bucket: what is due within the
  hour, however many requests are open;
- a past hour read empty moves the cursor past it (checked against the cursor's generation);
- a writer that stores a time whose hour is at or behind the cursor (a clock resumed late, an
  import, a test's moved clock) calls reach_back() after its write, which lowers the cursor and
  bumps the generation, so a sweep that read that hour before the write cannot skip it;
- after a long stop (more than WALK hours behind) one range query finds the next hour that holds
  anything, instead of reading every empty hour in between.
"""

from datetime import datetime
from typing import Any

from mongoengine.errors import NotUniqueError
from pymongo import UpdateOne
from pymongo.errors import DuplicateKeyError

from app.models import ServiceRequest, SweepCursor
from app.models.base import as_utc

CLOCKS = ("escalate", "warn")
WALK = 48  # empty hours read one by one before a range query jumps over the rest


def hour_of(moment: datetime | None) -> int | None:
    """Whole hours since the epoch (UTC) of `moment`, or None."""
    return None if moment is None else _hour(moment)


def _hour(moment: datetime) -> int:
    return int(as_utc(moment).timestamp() // 3600)


def fields(clock: str, moment: datetime | None) -> dict[str, Any]:
    """The model fields for `clock` set to `moment`: its time and its hour."""
    return {f"{clock}_at": moment, f"{clock}_hour": hour_of(moment)}


def updates(clock: str, moment: datetime | None) -> dict[str, Any]:
    """The same as mongoengine update operators."""
    return {f"set__{name}": value for name, value in fields(clock, moment).items()}


def reach_back(values: dict[str, Any]) -> None:
    """After a write: lower each clock's cursor to the hour just written, if it is not above it.

    `values` is a dict of fields or of `set__` updates, as fields() and updates() make them.
    """
    operations = []
    for clock in CLOCKS:
        hour = values.get(f"{clock}_hour", values.get(f"set__{clock}_hour"))
        if hour is not None:
            operations.append(
                UpdateOne(
                    {"_id": clock, "hour": {"$gte": hour}},
                    {"$set": {"hour": hour}, "$inc": {"generation": 1}},
                )
            )
    if not operations:
        return
    collection = SweepCursor._get_collection()
    if type(collection).__module__.startswith("mongomock"):
        # mongomock (the fast unit tier) cannot take pymongo 4's UpdateOne; the same suite on
        # FerretDB runs the bulk write below.
        for operation in operations:
            collection.update_one(operation._filter, operation._doc)
        return
    # One round trip for both clocks: this is on every submission's path.
    collection.bulk_write(operations, ordered=False)


def _cursor(clock: str, current: int) -> SweepCursor:
    cursor = SweepCursor.objects(name=clock).first()
    if cursor is not None:
        return cursor
    # First sweep of this clock (a new site, or requests written before the buckets existed):
    # start at the lowest hour anything is due in.
    lowest = _next_filled(clock, None, current)
    try:
        SweepCursor(name=clock, hour=current if lowest is None else lowest).save(force_insert=True)
    except (NotUniqueError, DuplicateKeyError):
        pass
    return SweepCursor.objects.get(name=clock)


def _next_filled(clock: str, after: int | None, current: int) -> int | None:
    """The lowest hour at or after `after` and at or before `current` holding anything."""
    bucket = f"{clock}_hour"
    query = ServiceRequest.objects(**{f"{bucket}__lte": current, f"{bucket}__ne": None})
    if after is not None:
        query = query.filter(**{f"{bucket}__gte": after})
    first = query.order_by(bucket).only(bucket).first()
    return None if first is None else getattr(first, bucket)


def _advance(cursor: SweepCursor, hour: int) -> bool:
    """Move the cursor to `hour` unless a writer touched it since it was read."""
    moved = SweepCursor.objects(
        name=cursor.name, hour=cursor.hour, generation=cursor.generation
    ).update_one(set__hour=hour)
    if moved:
        cursor.hour = hour
    return bool(moved)


def _bucket(clock: str, hour: int, now: datetime, limit: int) -> list[ServiceRequest]:
    """What is due in one hour's bucket: equality on the hour (the index), the rest checked by
    the server on that bucket alone."""
    return list(
        ServiceRequest.objects(
            **{f"{clock}_hour": hour, f"{clock}_at__lte": now}, paused_at=None, closed_at=None
        ).limit(limit)
    )


def due(clock: str, now: datetime, limit: int) -> list[ServiceRequest]:
    """Up to `limit` open, running requests whose `clock` time is at or before `now`."""
    current = _hour(now)
    cursor = _cursor(clock, current)
    found: list[ServiceRequest] = []
    hour, walked, advancing = cursor.hour, 0, True
    while hour <= current and len(found) < limit:
        if walked == WALK:
            jump = _next_filled(clock, hour, current)
            if jump is None:
                if advancing:
                    _advance(cursor, current)
                break
            if advancing:
                advancing = _advance(cursor, jump)
            hour, walked = jump, 0
        batch = _bucket(clock, hour, now, limit - len(found))
        found.extend(batch)
        if batch:
            advancing = False  # the cursor stays at the first hour still holding due work
        elif hour < current and advancing:
            advancing = _advance(cursor, hour + 1)
        hour += 1
        walked += 1
    return found
