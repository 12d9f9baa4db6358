"""The audit trail: one event per login, logout, state change and admin edit.

Events name the actor and the object by id; they never copy personal data such as phone numbers.
"""

import mongoengine as me

from .base import utcnow

__all__ = ["AuditEvent"]


class AuditEvent(me.Document):
    at = me.DateTimeField(default=utcnow, required=True)
    action = me.StringField(required=True, max_length=60)
    actor = me.ReferenceField("User")
    object_type = me.StringField(max_length=60)
    object_id = me.StringField(max_length=60)
    state = me.ReferenceField("State")  # whose administrators and auditors may read it
    details = me.DictField()

    meta = {
        "collection": "audit_events",
        "indexes": ["-at", ("state", "-at"), ("object_type", "object_id")],
        "ordering": ["-at"],
    }
    __scope__ = {"state": "state"}

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type or ''}"
