"""Jurisdiction scoping: the one helper that decides which documents a user may see.

Every list, detail, export and admin get_query goes through scoped() or get_scoped(). A document
class declares which of its fields carry the jurisdiction in `__scope__`, e.g.
{"state": "state", "district": "district", "station": "station", "owner": "applicant"}.

A station officer or SHO sees their stations, a district supervisor their districts, a state
administrator or auditor their states, a citizen or organisation what they own. Anything else is
invisible, which views turn into a 404.
"""

from dataclasses import dataclass, field

from mongoengine.queryset.visitor import Q

from app.models import Posting
from app.models.accounts import (
    ACCOUNT_CITIZEN,
    ACCOUNT_ORGANISATION,
    LEVEL_DISTRICT,
    LEVEL_STATE,
    LEVEL_STATION,
)

__all__ = ["Scope", "scope_of", "scoped", "get_scoped", "can_see", "within_scope"]


@dataclass(frozen=True)
class Scope:
    states: frozenset = field(default_factory=frozenset)
    districts: frozenset = field(default_factory=frozenset)
    stations: frozenset = field(default_factory=frozenset)
    owner: object = None

    @property
    def empty(self):
        return not (self.states or self.districts or self.stations or self.owner)


def scope_of(user):
    """The jurisdictions a user's active postings cover, plus what they own."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return Scope()
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    states, districts, stations = set(), set(), set()
    postings = Posting.objects(user=user.id, active=True).select_related(max_depth=1)
    for posting in postings:
        level = posting.role.level
        if level == LEVEL_STATION and posting.station:
            stations.add(posting.station.id)
        elif level == LEVEL_DISTRICT and posting.district:
            districts.add(posting.district.id)
        elif level == LEVEL_STATE:
            states.add(posting.state.id)
    owner = user.id if user.account_type in (ACCOUNT_CITIZEN, ACCOUNT_ORGANISATION) else None
    scope = Scope(frozenset(states), frozenset(districts), frozenset(stations), owner)
    user._scope_cache = scope
    return scope


def _condition(scope_fields, scope):
    condition = None
    for level, ids in (
        ("state", scope.states),
        ("district", scope.districts),
        ("station", scope.stations),
    ):
        path = scope_fields.get(level)
        if ids and path:
            term = Q(**{f"{path}__in": sorted(ids)})
            condition = term if condition is None else condition | term
    owner_path = scope_fields.get("owner")
    if scope.owner is not None and owner_path:
        term = Q(**{owner_path: scope.owner})
        condition = term if condition is None else condition | term
    return condition


def scoped(queryset, user):
    """Narrow a queryset (or a document class) to what `user` may see."""
    if isinstance(queryset, type):
        queryset = queryset.objects
    scope_fields = getattr(queryset._document, "__scope__", None)
    if not scope_fields:
        raise TypeError(f"{queryset._document.__name__} declares no __scope__")
    condition = _condition(scope_fields, scope_of(user))
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def get_scoped(document_class, user, **filters):
    """One document matching `filters` that `user` may see, or None."""
    return scoped(document_class.objects(**filters), user).first()


def can_see(user, document):
    return get_scoped(type(document), user, id=document.id) is not None


def _ref_id(value):
    return getattr(value, "id", value)


def within_scope(user, document):
    """Whether an unsaved or changed document lies inside the user's jurisdictions.

    Used before writes: a form can only name places the user already covers.
    """
    scope = scope_of(user)
    scope_fields = getattr(type(document), "__scope__", {})
    checks = (("station", scope.stations), ("district", scope.districts), ("state", scope.states))
    for level, ids in checks:
        path = scope_fields.get(level)
        if not path or not ids:
            continue
        value = document if path == "id" else getattr(document, path, None)
        if value is not None and _ref_id(value) in ids:
            return True
    owner_path = scope_fields.get("owner")
    if scope.owner is not None and owner_path:
        return _ref_id(getattr(document, owner_path, None)) == scope.owner
    return False
