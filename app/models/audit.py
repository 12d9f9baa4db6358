"""The audit trail: one event per login, logout, state change, admin edit and refused access.

Events name the actor and the object by id; they never copy personal data such as phone numbers.
Each carries the client's address and user agent, and once sealed (services.audit_chain) its
place in a hash chain: the hash of the previous sealed event is part of its own, so a changed or
deleted event breaks the chain where it stood. Anchors keep the chain verifiable after the
retention purge removes its oldest part.
"""

import mongoengine as me

from .base import utcnow

__all__ = ["AuditEvent", "AuditAnchor"]


class AuditEvent(me.Document):
    at = me.DateTimeField(default=utcnow, required=True)
    action = me.StringField(required=True, max_length=60)
    actor = me.ReferenceField("User")
    object_type = me.StringField(max_length=60)
    object_id = me.StringField(max_length=60)
    state = me.ReferenceField("State")  # whose administrators and auditors may read it
    details = me.DictField()
    ip = me.StringField(max_length=64)
    user_agent = me.StringField(max_length=200)
    # Set by the sealer, in chain order.
    chain_index = me.IntField()
    prev_hash = me.StringField(max_length=64)
    hash = me.StringField(max_length=64)

    meta = {
        "collection": "audit_events",
        "indexes": [
            "-at",
            ("state", "-at"),
            ("object_type", "object_id"),
            {"fields": ["chain_index"], "unique": True, "sparse": True},
            "hash",
        ],
        "ordering": ["-at"],
    }
    __scope__ = {"state": "state"}

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type or ''}"


class AuditAnchor(me.Document):
    """Where the chain continues after a purge: the index and hash of the last event removed."""

    chain_index = me.IntField(required=True, unique=True)
    hash = me.StringField(required=True, max_length=64)
    at = me.DateTimeField(default=utcnow, required=True)
    purged = me.IntField(default=0)

    meta = {"collection": "audit_anchors", "indexes": ["-chain_index"]}

    def __str__(self):
        return f"anchor at {self.chain_index}"
