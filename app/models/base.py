"""The house base document: UTC creation and update times.

Every collection's document class derives from BaseDocument; it adds no other behaviour.
"""

from datetime import UTC, datetime
from typing import Any

import mongoengine as me

__all__ = ["BaseDocument", "utcnow", "as_utc", "stored_id"]


def utcnow():
    return datetime.now(UTC)


def as_utc(value):
    """A stored datetime as an aware UTC one (mongomock, and pymongo without tz_aware, return
    naive UTC datetimes; comparing those with aware ones raises). None stays None."""
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def stored_id(document, name):
    """The id a reference field holds, as stored: reading `document.<name>` would load the
    document it names (a query, per row on a list page). "id" is the document's own id."""
    if name == "id":
        return document.id
    data = getattr(document, "_data", None)
    value = data[name] if data is not None and name in data else getattr(document, name, None)
    return getattr(value, "id", value)


class BaseDocument(me.Document):
    meta: dict[str, Any] = {"abstract": True}  # each model's meta mixes value types

    created_at = me.DateTimeField(default=utcnow, required=True)
    updated_at = me.DateTimeField(default=utcnow, required=True)

    def save(self, *args, **kwargs):
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)


def is_duplicate_key(error):
    """True for a unique index's refusal, however it arrives: MongoDB and an insert on FerretDB
    say E11000 (NotUniqueError, DuplicateKeyError); an update on FerretDB 1.24 over PostgreSQL
    says InternalError with PostgreSQL's "duplicate key value" (mongoengine's OperationError)."""
    from mongoengine.errors import NotUniqueError, OperationError
    from pymongo.errors import DuplicateKeyError

    if isinstance(error, (NotUniqueError, DuplicateKeyError)):
        return True
    return isinstance(error, OperationError) and "duplicate key" in str(error)
