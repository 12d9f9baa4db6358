"""Figures for the supervisors' dashboard, within what the viewer may see.

Overdue requests by station and service, the requests escalated up the chain, pending appeals,
and, for requests closed in the last 90 days, the average disposal time against the charter
limit. Every query goes through services.access.scoped.
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from app.constants import IST
from app.models import Appeal, PoliceStation, ServiceRequest
from app.models.base import as_utc

from . import access

WINDOW = timedelta(days=90)


def overdue_by_station(user, now):
    """[(station code, service, count)], the largest first."""
    rows = (
        access.scoped(ServiceRequest.objects(is_open=True, due_at__lt=now), user)
        .filter(paused_at=None)
        .only("station", "service")
        .as_pymongo()
    )
    counts = Counter((row["station"], row["service"]) for row in rows)

    codes = {s.id: s.code for s in PoliceStation.objects(id__in=list({k[0] for k in counts}))}
    return sorted(
        ((codes.get(station, "?"), service, n) for (station, service), n in counts.items()),
        key=lambda row: (-row[2], row[0], row[1]),
    )


def escalated(user, limit=100):
    """Open requests above the designated tier, the highest tier and oldest first."""
    query = access.scoped(
        ServiceRequest.objects(is_open=True, escalation_level__gte=1), user
    ).order_by("-escalation_level", "due_at")
    return list(query.limit(limit))


def pending_appeals(user, limit=100):
    return list(access.scoped(Appeal.objects(status="pending"), user).order_by("due_at")[:limit])


def first_deadline(request):
    """The designated officer's deadline, even after escalations moved `due_at` on."""
    if request.get("escalations"):
        return as_utc(request["escalations"][0].get("missed_due_at"))
    return as_utc(request.get("due_at"))


def disposal(user, now):
    """{service: {closed, average_days, within_limit}} over the last 90 days."""
    rows = (
        access.scoped(ServiceRequest.objects(closed_at__gte=now - WINDOW), user)
        .filter(due_at__ne=None)
        .only("service", "submitted_at", "closed_at", "due_at", "escalations")
        .as_pymongo()
    )
    totals = defaultdict(lambda: {"closed": 0, "days": 0.0, "within_limit": 0})
    for row in rows:
        tally = totals[row["service"]]
        closed, submitted = as_utc(row["closed_at"]), as_utc(row["submitted_at"])
        tally["closed"] += 1
        tally["days"] += (closed - submitted).total_seconds() / 86400
        deadline = first_deadline(row)
        if deadline is None or closed <= deadline:
            tally["within_limit"] += 1
    return {
        service: {
            "closed": t["closed"],
            "average_days": round(t["days"] / t["closed"], 1),
            "within_limit": t["within_limit"],
        }
        for service, t in totals.items()
    }


def open_by_service(user, now):
    """{service: {"on_time": n, "overdue": n, "paused": n}} for the open requests."""
    rows = (
        access.scoped(ServiceRequest.objects(is_open=True), user)
        .only("service", "due_at", "paused_at")
        .as_pymongo()
    )
    counts = defaultdict(lambda: {"on_time": 0, "overdue": 0, "paused": 0})
    for row in rows:
        due = as_utc(row.get("due_at"))
        if row.get("paused_at"):
            counts[row["service"]]["paused"] += 1
        elif due is not None and due < now:
            counts[row["service"]]["overdue"] += 1
        else:
            counts[row["service"]]["on_time"] += 1
    return dict(counts)


def month_starts(now, months):
    """The first instants of the last `months` calendar months in India, oldest first."""
    local = as_utc(now).astimezone(IST)
    year, month = local.year, local.month
    starts = []
    for _ in range(months):
        starts.append(datetime(year, month, 1, tzinfo=IST))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def per_month(user, now, months=6):
    """[(month start, {"received", "within_limit", "late"})], oldest month first: requests
    received in each month, and those decided in it within or after the charter limit."""
    starts = month_starts(now, months)
    tallies = {start: {"received": 0, "within_limit": 0, "late": 0} for start in starts}

    def month_of(moment):
        local = moment.astimezone(IST)
        return tallies.get(datetime(local.year, local.month, 1, tzinfo=IST))

    since = starts[0].astimezone(UTC)
    received = access.scoped(ServiceRequest.objects(submitted_at__gte=since), user)
    for row in received.only("submitted_at").as_pymongo():
        tally = month_of(as_utc(row["submitted_at"]))
        if tally is not None:
            tally["received"] += 1
    closed = access.scoped(ServiceRequest.objects(closed_at__gte=since), user)
    for row in closed.only("closed_at", "due_at", "escalations").as_pymongo():
        moment = as_utc(row["closed_at"])
        tally = month_of(moment)
        if tally is None:
            continue
        deadline = first_deadline(row)
        tally["within_limit" if deadline is None or moment <= deadline else "late"] += 1
    return list(tallies.items())


def summary(user, now=None):
    now = now or datetime.now(UTC)
    return {
        "open": open_by_service(user, now),
        "months": per_month(user, now),
        "overdue": overdue_by_station(user, now),
        "escalated": escalated(user),
        "appeals": pending_appeals(user),
        "disposal": disposal(user, now),
        "now": now,
    }
