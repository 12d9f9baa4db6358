"""The national picture: a state instance publishes its public registers as a signed JSON feed;
the central (NCRB) instance pulls the feeds of its configured states and offers one search.

State side (`page`): entries whose `feed_seq` is past the cursor, oldest change first, public
fields only, withdrawn entries as tombstones; the page is signed with the state's document key
(Ed25519, public key at /verify/public-key.pem).

Central side (`pull_all`, beat): for each configured state, pages are fetched from its cursor,
the signature checked against that state's public key, every item checked to belong to that
state, and upserted by (state, id) only if newer; the cursor moves on only once a page is
stored. A state that is down, answers garbage, or fails half way is recorded and retried on the
next run from where it stopped; the other states carry on.
"""

import base64
import json
import logging
from datetime import UTC, datetime

import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import current_app

from app.models import CentralEntry, FeedCursor, RegisterEntry
from app.models.base import as_utc

from . import documents, forms, registers

log = logging.getLogger(__name__)
PAGE_LIMIT = 200
PAGES_PER_RUN = 50
TIMEOUT_SECONDS = 10


class FeedError(Exception):
    """A feed page could not be used; the message says why (stored on the cursor)."""


# --- state side -------------------------------------------------------------------------------


def _item(entry):
    if entry.status != "published":
        return {"id": str(entry.id), "seq": entry.feed_seq, "state": entry.state.code,
                "kind": entry.kind, "withdrawn": True}  # fmt: skip
    fields = {}
    for spec in registers.public_fields(entry.kind):
        value = entry.data.get(spec["name"])
        if value in (None, ""):
            continue
        fields[spec["name"]] = {
            "label": spec["label"],
            "value": {lang: str(forms.display(spec, value, lang)) for lang in ("en", "hi")},
        }
    return {
        "id": str(entry.id),
        "seq": entry.feed_seq,
        "state": entry.state.code,
        "kind": entry.kind,
        "station": entry.station.code,
        "station_name": {"en": entry.station.name_en, "hi": entry.station.name_hi},
        "published_at": as_utc(entry.published_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "fields": fields,
        "search_text": entry.search_text or "",
        "vehicle_keys": list(entry.vehicle_keys or []),
        "withdrawn": False,
    }


def page(after=0, limit=PAGE_LIMIT):
    """One signed page of changes after `after` (a feed_seq)."""
    limit = max(1, min(int(limit), PAGE_LIMIT))
    query = RegisterEntry.objects(feed_seq__gt=int(after), status__in=["published", "withdrawn"])
    rows = list(query.order_by("feed_seq").limit(limit + 1))
    items = [_item(entry) for entry in rows[:limit]]
    body = {"items": items, "next": items[-1]["seq"] if items else int(after)}
    body["more"] = len(rows) > limit
    return {**body, "key_id": documents.key_id(), "signature": sign(body)}


def canonical(body):
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def sign(body):
    return base64.b64encode(documents._private_key().sign(canonical(body))).decode()


# --- central side -----------------------------------------------------------------------------


def configured_feeds():
    """[{"state", "url", "public_key"}] from CENTRAL_FEEDS (JSON), for a central instance."""
    raw = current_app.config.get("CENTRAL_FEEDS") or "[]"
    feeds = json.loads(raw) if isinstance(raw, str) else raw
    return [f for f in feeds if f.get("state") and f.get("url") and f.get("public_key")]


def _public_key(text):
    text = text.strip()
    if text.startswith("-----BEGIN"):
        return load_pem_public_key(text.encode())
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text))


def verify(body, public_key):
    """The page's signed part, or FeedError when the signature does not hold."""
    signed = {"items": body.get("items"), "next": body.get("next"), "more": body.get("more")}
    try:
        public_key.verify(base64.b64decode(body.get("signature") or ""), canonical(signed))
    except (InvalidSignature, ValueError) as error:
        raise FeedError("the page's signature does not verify") from error
    return signed


def _fetch(feed, after):
    url = feed["url"].rstrip("/") + "/api/v1/feed/registers"
    try:
        response = requests.get(
            url, params={"after": after, "limit": PAGE_LIMIT}, timeout=TIMEOUT_SECONDS
        )
    except requests.RequestException as error:
        raise FeedError(f"unreachable: {type(error).__name__}") from error
    if response.status_code != 200:
        raise FeedError(f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError as error:
        raise FeedError("not JSON") from error


def _store(state, item):
    """Upsert one item unless we already hold a newer change of it."""
    key = f"{state}:{item['id']}"
    existing = CentralEntry.objects(key=key).only("seq").first()
    if existing is not None and existing.seq >= int(item["seq"]):
        return False
    fields = {
        "state": state,
        "kind": str(item["kind"])[:40],
        "seq": int(item["seq"]),
        "withdrawn": bool(item.get("withdrawn")),
    }
    if not item.get("withdrawn"):
        fields.update(
            station=str(item.get("station", ""))[:40],
            fields=item.get("fields") or {},
            search_text=str(item.get("search_text", ""))[:4000],
            vehicle_keys=[str(k)[:40] for k in item.get("vehicle_keys") or []][:10],
            published_at=datetime.strptime(item["published_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=UTC
            ),
        )
    changes = {f"set__{name}": value for name, value in fields.items()}
    CentralEntry.objects(key=key).update_one(upsert=True, **changes)
    return True


def pull(feed, now=None):
    """Pull one state's feed from its cursor; returns the number of items stored."""
    now = now or datetime.now(UTC)
    state = feed["state"].upper()
    cursor = FeedCursor.objects(state=state).first() or FeedCursor(state=state).save()
    public_key = _public_key(feed["public_key"])
    stored = 0
    try:
        for _ in range(PAGES_PER_RUN):
            body = verify(_fetch(feed, cursor.after), public_key)
            items = body["items"] or []
            for item in items:
                if item.get("state") != state:
                    raise FeedError(f"an item of state {item.get('state')!r} in {state}'s feed")
            for item in items:
                stored += _store(state, item)
            if items:
                cursor.after = int(body["next"])
                FeedCursor.objects(state=state).update_one(
                    set__after=cursor.after, inc__pulled=len(items)
                )
            if not body.get("more"):
                break
    except FeedError as error:
        log.warning("feed %s: %s (resumes from %s next time)", state, error, cursor.after)
        FeedCursor.objects(state=state).update_one(
            set__last_error=str(error)[:500], set__last_error_at=now
        )
        return stored
    FeedCursor.objects(state=state).update_one(set__last_ok_at=now, set__last_error=None)
    return stored


def pull_all(now=None):
    """Every configured state's feed, each on its own (beat, on a central instance)."""
    return {feed["state"]: pull(feed, now) for feed in configured_feeds()}


def national_search(kind, q="", registration="", chassis="", engine="", limit=50):
    """Entries of every state pulled so far, matching like registers.search."""
    from app import db

    registers.definition(kind)
    query = CentralEntry.objects(kind=kind, withdrawn=False)
    keys = [registers.normalise_vehicle(v) for v in (registration, chassis, engine)]
    keys = [k for k in keys if k]
    if keys:
        query = query.filter(vehicle_keys__in=keys)
    for word in [w for w in str(q or "").lower().split() if w][:5]:
        query = query.filter(search_text=db.icontains(word))
    return list(query.order_by("-published_at").limit(limit))
