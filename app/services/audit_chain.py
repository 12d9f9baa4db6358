"""The audit trail's hash chain: sealing, verification and the retention purge.

Events are written at once by services.audit, in any order, by any process. The sealer (a beat
task every minute) takes the unsealed ones oldest first and gives each the next chain index, the
hash of the event before it and its own hash: SHA-256 over the previous hash and a canonical
JSON of the event. A unique index on chain_index lets only one sealer win each place, so two
sealers running at once cannot fork the chain.

verify() walks the chain from the newest anchor (or its start) and reports the first link that
does not hold: an event changed, removed or inserted after sealing. purge() removes events older
than the retention period (CERT-In: at least 180 days; default 366) from the chain's start, and
first records an anchor (the index and hash of the last event removed), so what remains still
verifies.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.models import AuditAnchor, AuditEvent

GENESIS = "0" * 64
BATCH = 1000


def _ms(moment):
    moment = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000).isoformat()


def _id(value):
    return str(getattr(value, "id", value)) if value is not None else None


def canonical(event, chain_index):
    """The bytes an event's hash covers: every field as stored, and its place in the chain."""
    data = event._data
    body = {
        "id": str(event.id),
        "chain_index": chain_index,
        "at": _ms(event.at),
        "action": event.action,
        "actor": _id(data.get("actor")),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "state": _id(data.get("state")),
        "details": {str(k): str(v) for k, v in (event.details or {}).items()},
        "ip": event.ip,
        "user_agent": event.user_agent,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link_hash(prev_hash, event, chain_index):
    return hashlib.sha256(prev_hash.encode() + canonical(event, chain_index)).hexdigest()


def _head():
    """(index, hash) of the newest sealed event, else of the newest anchor, else the genesis."""
    last = (
        AuditEvent.objects(chain_index__ne=None)
        .order_by("-chain_index")
        .only("chain_index", "hash")
        .first()
    )
    if last is not None:
        return last.chain_index, last.hash
    anchor = AuditAnchor.objects.order_by("-chain_index").first()
    return (anchor.chain_index, anchor.hash) if anchor else (-1, GENESIS)


def seal(limit=BATCH, settle_seconds=0, now=None):
    """Seal up to `limit` unsealed events (older than `settle_seconds`); returns how many."""
    now = now or datetime.now(UTC)
    index, prev = _head()
    pending = (
        AuditEvent.objects(chain_index=None, at__lte=now - timedelta(seconds=settle_seconds))
        .no_dereference()
        .order_by("at", "id")
        .limit(limit)
    )
    sealed = 0
    for event in pending:
        index += 1
        digest = link_hash(prev, event, index)
        try:
            done = AuditEvent.objects(id=event.id, chain_index=None).update_one(
                set__chain_index=index, set__prev_hash=prev, set__hash=digest
            )
        except (NotUniqueError, DuplicateKeyError):
            break  # another sealer took this place; it carries on from here
        if not done:
            break
        prev = digest
        sealed += 1
    return sealed


def seal_all(settle_seconds=0):
    """Seal batch after batch until none is left; returns how many."""
    total = 0
    while True:
        sealed = seal(settle_seconds=settle_seconds)
        total += sealed
        if sealed < BATCH:
            return total


@dataclass
class Verdict:
    checked: int
    broken_at: int | None = None  # the chain index of the first link that does not hold
    event_id: str | None = None
    reason: str | None = None

    @property
    def ok(self):
        return self.broken_at is None


def verify():
    """Walk the sealed chain from the newest anchor; the first broken link, if any."""
    anchor = AuditAnchor.objects.order_by("-chain_index").first()
    expected, prev = (anchor.chain_index + 1, anchor.hash) if anchor else (0, GENESIS)
    checked = 0
    while True:
        batch = list(
            AuditEvent.objects(chain_index__gte=expected)
            .no_dereference()
            .order_by("chain_index")
            .limit(BATCH)
        )
        if not batch:
            return Verdict(checked)
        for event in batch:
            if event.chain_index != expected:
                return Verdict(checked, expected, None, "an event is missing")
            if event.prev_hash != prev:
                return Verdict(checked, expected, str(event.id), "the previous hash differs")
            if event.hash != link_hash(prev, event, expected):
                return Verdict(checked, expected, str(event.id), "the event was changed")
            prev = event.hash
            expected += 1
            checked += 1


def purge(retention_days, now=None):
    """Remove sealed events older than `retention_days` from the chain's start; returns how many.

    The anchor is written before anything is deleted, so a purge cut short leaves a chain that
    still verifies (from the anchor on; the events it did not remove are simply skipped).
    """
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    first_kept = (
        AuditEvent.objects(chain_index__ne=None, at__gte=cutoff)
        .order_by("chain_index")
        .only("chain_index")
        .first()
    )
    if first_kept is not None:
        last_removed_index = first_kept.chain_index - 1
    else:
        newest = AuditEvent.objects(chain_index__ne=None).order_by("-chain_index").first()
        if newest is None:
            return 0
        last_removed_index = newest.chain_index
    last_removed = AuditEvent.objects(chain_index=last_removed_index).only("hash").first()
    if last_removed is None:
        return 0
    try:
        AuditAnchor(chain_index=last_removed_index, hash=last_removed.hash, at=now).save()
    except (NotUniqueError, DuplicateKeyError):
        pass  # a purge cut short is being finished
    removed = AuditEvent.objects(chain_index__lte=last_removed_index).delete()
    AuditAnchor.objects(chain_index=last_removed_index).update_one(inc__purged=removed)
    return removed
