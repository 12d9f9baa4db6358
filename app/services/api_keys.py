"""API keys: issued by a state administrator to an approved organisation (a hotel filing C-Forms
from its software, an employer or agency filing verifications), shown once, kept as an HMAC,
scoped to services and stations, revocable, and audited at every use (app.security.api_keys).

A key reads `pk_<prefix>_<secret>`: the 8-character prefix finds the record by an index, the
32-character secret is compared in constant time with the HMAC (SECRET_KEY) kept. A revoked key
authenticates nobody.
"""

import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.models import ApiKey, PoliceStation, User
from app.models.accounts import ACCOUNT_ORGANISATION, APPROVAL_APPROVED
from app.models.base import as_utc, stored_id

from . import audit, service_types
from .errors import FieldErrors
from .keyed import keyed_digest

PREFIX_LENGTH = 8
TOUCH_EVERY = timedelta(minutes=1)  # bounded writes: a busy key is touched once a minute


class ApiKeyError(FieldErrors):
    """A key cannot be issued or revoked; `errors` names the fields at fault."""


def _hash(secret):
    return keyed_digest(secret)


def issue(actor, state, *, name, owner, services, stations, plaintext=None):
    """A new key for `owner` (an approved organisation of `state`): (record, the key itself).
    The key is returned this once and never again. `plaintext` is for the demo seed only."""
    errors = {}
    name = " ".join(str(name or "").split())[:120]
    if not name:
        errors["name"] = _l("Name the key (the software or partner it is for).")
    if (
        owner is None
        or owner.account_type != ACCOUNT_ORGANISATION
        or owner.organisation is None
        or owner.organisation.status != APPROVAL_APPROVED
        or owner.state is None
        or owner.state.id != state.id
    ):
        errors["owner"] = _l("Choose an approved organisation of this state.")
    offered = {live.code for live in service_types.live_services(state)}
    services = sorted({str(code) for code in services or []})
    if not services:
        errors["services"] = _l("Choose at least one service the key may file.")
    elif not set(services) <= offered:
        errors["services"] = _l("A chosen service is not offered in this state.")
    stations = sorted({str(code) for code in stations or []})
    known = {s.code for s in PoliceStation.objects(state=state, code__in=stations).only("code")}
    if set(stations) - known:
        errors["stations"] = _l("A chosen police station is not of this state.")
    if errors:
        raise ApiKeyError(errors)
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(24)
    plaintext = plaintext or f"pk_{prefix}_{secret}"
    prefix, secret = _split(plaintext)
    record = ApiKey(
        prefix=prefix,
        key_hash=_hash(secret),
        name=name,
        owner=owner,
        state=state,
        services=services,
        stations=stations,
        created_by=actor,
    ).save()
    audit.record("api_key_issued", actor=actor, target=record, state=state, owner=owner.id)
    return record, plaintext


def _split(plaintext):
    parts = str(plaintext or "").split("_", 2)  # the secret may hold "_" itself
    if len(parts) != 3 or parts[0] != "pk" or len(parts[1]) != PREFIX_LENGTH or not parts[2]:
        return None, None
    return parts[1], parts[2]


def authenticate(plaintext, now=None):
    """The active key `plaintext` names, or None (unknown, wrong, revoked, or its owner gone)."""
    prefix, secret = _split(plaintext)
    if prefix is None:
        return None
    record = ApiKey.objects(prefix=prefix).first()
    if record is None or not hmac.compare_digest(record.key_hash, _hash(secret)):
        return None
    if not record.active:
        return None
    owner = User.objects(id=stored_id(record, "owner")).first()  # one read, not a dereference too
    if owner is None or not owner.active:
        return None
    record.owner = owner
    now = now or datetime.now(UTC)
    last = as_utc(record.last_used_at) if record.last_used_at else None
    if last is None or last + TOUCH_EVERY <= now:
        ApiKey.objects(id=record.id).update_one(set__last_used_at=now, inc__uses=1)
    return record


def revoke(record, actor, now=None):
    if not record.active:
        raise ApiKeyError({"key": _l("This key was revoked already.")}, 409)
    now = now or datetime.now(UTC)
    ApiKey.objects(id=record.id, revoked_at=None).update_one(
        set__revoked_at=now, set__revoked_by=actor
    )
    audit.record("api_key_revoked", actor=actor, target=record, state=record.state)
    record.reload()
    return record


def allows_service(record, service_code):
    return service_code in (record.services or [])


def station_scope(record):
    """The station codes a key may file at: those it names, else every station of its state."""
    if record.stations:
        return list(record.stations)
    return [s.code for s in PoliceStation.objects(state=record.state.id).only("code")]
