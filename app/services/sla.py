"""Citizens Charter clocks: when a limit expressed in the definition runs out.

Working days skip the state's weekly off days and holidays; a working-day deadline falls at the
end of the last working day (23:59 IST). Pausing, resuming and escalating the clock is
services.deadlines' job; this module only does the calendar arithmetic.
"""

from datetime import datetime, time, timedelta

from flask import current_app

from app.constants import IST
from app.models import Holiday


def _holidays(state, start, end):
    return {
        h["date"].date() if isinstance(h["date"], datetime) else h["date"]
        for h in Holiday.objects(state=state.id, date__gte=start, date__lte=end)
        .only("date")
        .as_pymongo()
    }


def add_limit(state, start, limit):
    """`start` plus a limit {value, unit}, as an aware datetime."""
    start = start.astimezone(IST)
    value, unit = limit["value"], limit["unit"]
    if unit == "minutes":
        return start + timedelta(seconds=value * current_app.config["SLA_MINUTE_SECONDS"])
    if unit == "hours":
        return start + timedelta(hours=value)
    if unit == "days":
        return start + timedelta(days=value)
    return _add_working_days(state, start, int(value))


def _add_working_days(state, start, days):
    off = set(state.weekly_off_days or [])
    horizon = start.date() + timedelta(days=days * 3 + 30)
    holidays = _holidays(
        state, datetime.combine(start.date(), time.min), datetime.combine(horizon, time.min)
    )
    day, counted = start.date(), 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() not in off and day not in holidays:
            counted += 1
    return datetime.combine(day, time(23, 59), tzinfo=IST)


def due_at(state, definition, submitted_at):
    """The designated officer's deadline, or None for services without a clock."""
    sla = definition.get("sla")
    if not sla or definition.get("instant"):
        return None
    return add_limit(state, submitted_at, sla["limit"])


def filer_deadline(definition, data):
    """(deadline, hours) by which the filer had to submit (C-Form), or (None, None)."""
    rule = definition.get("filer_deadline")
    if not rule or rule["from_field"] not in data:
        return None, None
    hours = rule["hours"]
    for shorter in rule.get("shorter", []):
        if data.get(shorter["field"]) in shorter["values"]:
            hours = min(hours, shorter["hours"])
    start = datetime.fromisoformat(data[rule["from_field"]])
    return start + timedelta(hours=hours), hours
