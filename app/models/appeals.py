"""Appeals under the Right to Services acts: first to the next authority, then a second appeal.

One document per (request, level), keyed "<request id>:A<level>" so an appeal cannot be filed
twice, even by two submissions at once. The deciding authority is the officer holding the
escalation chain's role for that level in the request's jurisdiction.
"""

import mongoengine as me

from .base import BaseDocument, utcnow

__all__ = ["Appeal", "APPEAL_GROUNDS", "APPEAL_STATUSES"]

APPEAL_GROUNDS = ("rejected", "deadline_missed", "poor_rating")
APPEAL_STATUSES = ("pending", "allowed", "dismissed")


class Appeal(BaseDocument):
    key = me.StringField(primary_key=True, max_length=60)
    request = me.ReferenceField("ServiceRequest", required=True)
    number = me.StringField(required=True, max_length=48)  # "<request number>/A1"
    level = me.IntField(required=True, min_value=1, max_value=2)
    grounds = me.StringField(required=True, choices=APPEAL_GROUNDS)
    text = me.StringField(required=True, max_length=2000)  # the applicant's reasons
    applicant = me.ReferenceField("User", required=True)
    state = me.ReferenceField("State", required=True)
    district = me.ReferenceField("District", required=True)
    station = me.ReferenceField("PoliceStation", required=True)
    authority_role = me.StringField(required=True, max_length=40)
    filed_at = me.DateTimeField(default=utcnow, required=True)
    due_at = me.DateTimeField(required=True)
    status = me.StringField(required=True, default="pending", choices=APPEAL_STATUSES)
    # Moved on by every step (services.engine); a step written over another version is refused.
    version = me.IntField(required=True, default=1)
    decided_at = me.DateTimeField()
    decided_by = me.ReferenceField("User")
    decision = me.StringField(max_length=2000)
    overdue_notified = me.BooleanField(default=False)

    meta = {
        "collection": "appeals",
        "indexes": [
            ("request", "level"),
            ("status", "due_at"),
            ("district", "status"),
            ("state", "status"),
            ("applicant", "-filed_at"),
        ],
        "ordering": ["-filed_at"],
    }
    __scope__ = {
        "state": "state",
        "district": "district",
        "station": "station",
        "owner": "applicant",
    }

    def __str__(self):
        return self.number
