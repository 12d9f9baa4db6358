"""Service types: the live definition per state, and every published version, immutable.

A request records the version it was submitted under, so editing a live definition never changes
the rules of requests already in flight.
"""

import mongoengine as me

from .base import BaseDocument, utcnow

__all__ = ["ServiceType", "ServiceTypeVersion"]


class ServiceType(BaseDocument):
    code = me.StringField(required=True, max_length=40)
    state = me.ReferenceField("State", required=True, reverse_delete_rule=me.DENY)
    version = me.IntField(required=True, min_value=1)
    active = me.BooleanField(default=True)
    # Copies of the current version's definition parts that lists and menus need.
    name_en = me.StringField(required=True, max_length=200)
    name_hi = me.StringField(required=True, max_length=200)
    definition = me.DictField(required=True)
    updated_by = me.ReferenceField("User")

    meta = {
        "collection": "service_types",
        "indexes": [{"fields": ["state", "code"], "unique": True}, ("state", "active")],
        "ordering": ["code"],
    }
    __scope__ = {"state": "state"}

    def __str__(self):
        return f"{self.name_en} ({self.code})"


class ServiceTypeVersion(me.Document):
    code = me.StringField(required=True, max_length=40)
    state = me.ReferenceField("State", required=True)
    version = me.IntField(required=True, min_value=1)
    definition = me.DictField(required=True)
    created_at = me.DateTimeField(default=utcnow, required=True)
    created_by = me.ReferenceField("User")
    reason = me.StringField(max_length=500)  # why it was published (the admin asks)

    meta = {
        "collection": "service_type_versions",
        "indexes": [{"fields": ["state", "code", "version"], "unique": True}],
    }

    def __str__(self):
        return f"{self.code} v{self.version}"
