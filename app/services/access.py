"""Jurisdiction scoping: the one helper that decides which documents a user may see.

Every list, detail, export and admin get_query goes through scoped() or get_scoped(). A document
class declares which of its fields carry the jurisdiction in `__scope__`, e.g.
{"state": "state", "district": "district", "station": "station", "owner": "applicant"}.

A station officer or SHO sees their stations, a district supervisor their districts, a state
administrator or auditor their states, a citizen or organisation what they own. Anything else is
invisible, which views turn into a 404.

Seeing is not acting: roles_over(user, document) answers which roles a user holds *over that
document's jurisdiction*, posting by posting, and every transition, appeal decision, FIR step,
register publication and assignment asks it (or may(), for a permission).
"""

from dataclasses import dataclass, field

from mongoengine.queryset.visitor import Q

from app.models import Posting, Role
from app.models.accounts import (
    ACCOUNT_CITIZEN,
    ACCOUNT_ORGANISATION,
    LEVEL_DISTRICT,
    LEVEL_STATE,
    LEVEL_STATION,
)
from app.models.base import stored_id

__all__ = [
    "Scope",
    "Authority",
    "scope_of",
    "authorities_of",
    "authorities_over",
    "roles_over",
    "may",
    "scoped",
    "get_scoped",
    "can_see",
    "within_scope",
]


@dataclass(frozen=True)
class Scope:
    states: frozenset = field(default_factory=frozenset)
    districts: frozenset = field(default_factory=frozenset)
    stations: frozenset = field(default_factory=frozenset)
    owner: object = None

    @property
    def empty(self):
        return not (self.states or self.districts or self.stations or self.owner)


@dataclass(frozen=True)
class Authority:
    """One active posting: a role with its permissions, held over one place."""

    role: str
    permissions: frozenset
    level: str
    place: object  # the id of the station, district or state


def authorities_of(user):
    """The user's active postings as Authority tuples (read once per user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return ()
    cached = getattr(user, "_authorities_cache", None)
    if cached is not None:
        return cached
    result = []
    postings = Posting.objects(user=user.id, active=True).no_dereference()
    roles = {role.id: role for role in Role.objects(id__in=[p.role.id for p in postings])}
    for posting in postings:
        role = roles.get(posting.role.id)
        if role is None or not posting.in_force:
            continue
        place = {
            LEVEL_STATION: posting.station,
            LEVEL_DISTRICT: posting.district,
            LEVEL_STATE: posting.state,
        }.get(role.level)
        if place is not None:
            result.append(
                Authority(role.name, frozenset(role.permissions), role.level, _ref_id(place))
            )
    user._authorities_cache = tuple(result)
    return user._authorities_cache


def scope_of(user):
    """The jurisdictions a user's active postings cover, plus what they own."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return Scope()
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    places: dict[str, set] = {LEVEL_STATE: set(), LEVEL_DISTRICT: set(), LEVEL_STATION: set()}
    for authority in authorities_of(user):
        places[authority.level].add(authority.place)
    owner = user.id if user.account_type in (ACCOUNT_CITIZEN, ACCOUNT_ORGANISATION) else None
    scope = Scope(
        frozenset(places[LEVEL_STATE]),
        frozenset(places[LEVEL_DISTRICT]),
        frozenset(places[LEVEL_STATION]),
        owner,
    )
    user._scope_cache = scope
    return scope


def jurisdiction_of(document):
    """{level: id} of the places a document belongs to, read from its `__scope__` fields."""
    scope_fields = getattr(type(document), "__scope__", {})
    result = {}
    for level in (LEVEL_STATE, LEVEL_DISTRICT, LEVEL_STATION):
        path = scope_fields.get(level)
        if path:
            value = stored_id(document, path)
            if value is not None:
                result[level] = value
    return result


def authorities_over(user, document):
    """The postings through which `user` has authority over `document`'s jurisdiction.

    A posting counts only where its own place covers the document: an SHO posting at station A
    gives SHO powers at A, never at B, whatever else the same person may see at B.
    """
    places = jurisdiction_of(document)
    return [a for a in authorities_of(user) if places.get(a.level) == a.place]


def roles_over(user, document):
    """The staff roles `user` holds over `document`'s jurisdiction (a frozenset of names)."""
    return frozenset(a.role for a in authorities_over(user, document))


def may(user, permission, document):
    """Whether one of `user`'s postings over `document` carries `permission`."""
    return any(permission in a.permissions for a in authorities_over(user, document))


def _condition(scope_fields, scope):
    condition = None
    for level, ids in (
        ("state", scope.states),
        ("district", scope.districts),
        ("station", scope.stations),
    ):
        path = scope_fields.get(level)
        if ids and path:
            # One place (most officers): plain equality, which FerretDB pushes down to an index;
            # `$in` it would evaluate itself over the whole collection.
            if len(ids) == 1:
                term = Q(**{path: next(iter(ids))})
            else:
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
        queryset = queryset.objects  # type: ignore[attr-defined]  # a mongoengine Document
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
    """Whether `user` may see a loaded `document`; decided from its ids, without a query."""
    return within_scope(user, document)


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
        value = stored_id(document, path)
        if value is not None and value in ids:
            return True
    owner_path = scope_fields.get("owner")
    if scope.owner is not None and owner_path:
        return stored_id(document, owner_path) == scope.owner
    return False
