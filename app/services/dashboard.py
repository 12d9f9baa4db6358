"""Figures for the supervisors' dashboard, within what the viewer may see.

Overdue requests by station and service, the requests escalated up the chain, pending appeals,
and, from the monthly totals kept at write time (services.stats), requests received and decided
per month and the average disposal time against the charter limit. Every query goes through
services.access (scoped, or the viewer's places for the totals).
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime

from app.constants import IST
from app.models import Appeal, PoliceStation, ServiceRequest
from app.models.base import as_utc

from . import access, stats

DISPOSAL_MONTHS = 3  # this month and the two before


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


def disposal(user, now):
    """{service: {closed, average_days, within_limit}} over this month and the two before, for
    requests that had a charter deadline (kept at write time: services.stats)."""
    months = [month.strftime("%Y-%m") for month in month_starts(now, DISPOSAL_MONTHS)]
    totals: defaultdict[str, dict[str, float]] = defaultdict(
        lambda: {"closed": 0, "seconds": 0.0, "within_limit": 0}
    )
    for (_month, service), figures in stats.figures(user, months).items():
        tally = totals[service]
        tally["closed"] += figures["timed_closed"]
        tally["seconds"] += figures["timed_seconds"]
        tally["within_limit"] += figures["timed_within"]
    return {
        service: {
            "closed": t["closed"],
            "average_days": round(t["seconds"] / t["closed"] / 86400, 1),
            "within_limit": t["within_limit"],
        }
        for service, t in totals.items()
        if t["closed"] > 0
    }


def open_by_service(user, now):
    """{service: {"on_time": n, "overdue": n, "paused": n}} for the open requests."""
    rows = (
        access.scoped(ServiceRequest.objects(is_open=True), user)
        .only("service", "due_at", "paused_at")
        .as_pymongo()
    )
    counts: defaultdict[str, dict[str, int]] = defaultdict(
        lambda: {"on_time": 0, "overdue": 0, "paused": 0}
    )
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
    keys = {start.strftime("%Y-%m"): start for start in starts}
    tallies = {start: {"received": 0, "within_limit": 0, "late": 0} for start in starts}
    for (month, _service), figures in stats.figures(user, list(keys)).items():
        tally = tallies[keys[month]]
        for name in tally:
            tally[name] += figures[name]
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
