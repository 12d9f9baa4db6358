"""In-app notifications: one document per (event, recipient), written in the recipient's language.

The _id is the notification's key ("<request>:<event>:<version>:<user>:in_app"), so writing the
same event twice, by a re-run task or a second worker, leaves one notification.
"""

import mongoengine as me

from .base import utcnow

__all__ = ["Notification"]


class Notification(me.Document):
    key = me.StringField(primary_key=True, max_length=200)
    recipient = me.ReferenceField("User", required=True)
    request = me.ReferenceField("ServiceRequest")
    number = me.StringField(max_length=40)
    event = me.StringField(required=True, max_length=40)
    text = me.StringField(required=True, max_length=1000)
    created_at = me.DateTimeField(default=utcnow, required=True)
    read_at = me.DateTimeField()

    meta = {
        "collection": "notifications",
        "indexes": [("recipient", "-created_at"), ("recipient", "read_at")],
        "ordering": ["-created_at"],
    }

    def __str__(self):
        return f"{self.event} {self.number or ''}"
