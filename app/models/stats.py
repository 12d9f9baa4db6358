"""Statistics kept at write time: facts recorded once, folded into monthly totals.

FerretDB 1.24 loses concurrent `$inc`s (docs/ferretdb.md), so nothing here is incremented in
place. A submission or a decision inserts one `StatFact` (keyed by the request and what
happened, so a retry inserts nothing) and marks its bucket (station, service, month) dirty; the
fold (services.stats, every minute) recomputes each dirty bucket's totals from its facts and
writes them whole, then the district's and the state's from the stations' totals. Pages read
`StatTotal`s only: a few dozen small documents, whatever the number of requests.
"""

import mongoengine as me

from .base import utcnow

__all__ = ["StatFact", "StatTotal", "StatDirty"]


class StatFact(me.Document):
    key = me.StringField(primary_key=True, max_length=80)  # "<request>:received" and so on
    bucket = me.StringField(required=True, max_length=80)  # "<station id>:<service>:<YYYY-MM>"
    kind = me.StringField(required=True, choices=("received", "closed"))
    sign = me.IntField(required=True, default=1)  # -1 takes back a closure (reopened on appeal)
    timed = me.BooleanField(default=False)  # the request had a Citizens Charter deadline
    within_limit = me.BooleanField(default=False)
    seconds = me.FloatField(default=0)  # from submission to closure
    created_at = me.DateTimeField(default=utcnow, required=True)

    meta = {"collection": "stat_facts", "indexes": ["bucket"]}


class StatDirty(me.Document):
    """A bucket whose facts changed since its totals were last computed."""

    bucket = me.StringField(primary_key=True, max_length=80)

    meta = {"collection": "stat_dirty"}


class StatTotal(me.Document):
    """One service's figures for one month at one station, district or state."""

    key = me.StringField(primary_key=True, max_length=100)  # "<level>:<id>:<service>:<month>"
    level = me.StringField(required=True, choices=("station", "district", "state"))
    place = me.StringField(required=True, max_length=80)  # "<level>:<id>:<month>", read by equality
    service = me.StringField(required=True, max_length=40)
    month = me.StringField(required=True, max_length=7)
    received = me.IntField(default=0)
    closed = me.IntField(default=0)
    within_limit = me.IntField(default=0)  # closed by the designated officer's deadline (or none)
    late = me.IntField(default=0)
    timed_closed = me.IntField(default=0)  # closures of requests that had a deadline
    timed_within = me.IntField(default=0)
    timed_seconds = me.FloatField(default=0)
    computed_at = me.DateTimeField(default=utcnow)

    meta = {"collection": "stat_totals", "indexes": ["place", "level"]}
