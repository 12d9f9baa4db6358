"""API keys for organisations and partner apps (services.api_keys).

The key itself is shown once; only its HMAC is kept, with an 8-character public prefix to find it
by. A key acts as its owner's account, narrowed to the services and stations of its scope.
"""

import mongoengine as me

from .base import BaseDocument

__all__ = ["ApiKey"]


class ApiKey(BaseDocument):
    prefix = me.StringField(required=True, unique=True, max_length=16)
    key_hash = me.StringField(required=True, max_length=64)
    name = me.StringField(required=True, max_length=120)
    owner = me.ReferenceField("User", required=True)
    state = me.ReferenceField("State", required=True)
    services = me.ListField(me.StringField(max_length=40))  # service codes it may file
    stations = me.ListField(me.StringField(max_length=24))  # empty: any station of the state
    created_by = me.ReferenceField("User")
    revoked_at = me.DateTimeField()
    revoked_by = me.ReferenceField("User")
    last_used_at = me.DateTimeField()
    uses = me.IntField(default=0)

    meta = {"collection": "api_keys", "indexes": ["state", "owner"], "ordering": ["-created_at"]}
    __scope__ = {"state": "state"}

    @property
    def active(self):
        return self.revoked_at is None

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
