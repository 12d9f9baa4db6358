"""Registered senior citizens and the beat officers' visits to them.

A SeniorCitizen is created when a senior-citizen registration reaches its registered state; the
station's `senior_visit_days` sets how often the beat officer visits. A visit that is not recorded
by `next_visit_due` is escalated to the SHO once per due date by the deadline sweep.
"""

import mongoengine as me

from .base import BaseDocument, utcnow

__all__ = ["SeniorCitizen", "SeniorVisit"]


class SeniorVisit(me.EmbeddedDocument):
    at = me.DateTimeField(required=True)
    officer = me.ReferenceField("User", required=True)
    remarks = me.StringField(max_length=1000)
    photo_file_id = me.StringField(max_length=64)  # an upload of the officer, under UPLOAD_DIR
    recorded_at = me.DateTimeField(default=utcnow, required=True)


SENIOR_STATUSES = ("enrolled", "ended")


class SeniorCitizen(BaseDocument):
    request = me.ReferenceField("ServiceRequest", required=True, unique=True)
    number = me.StringField(required=True, max_length=40)  # the registration request's number
    name = me.StringField(required=True, max_length=120)
    state = me.ReferenceField("State", required=True)
    district = me.ReferenceField("District", required=True)
    station = me.ReferenceField("PoliceStation", required=True)
    # Moved on only by services.engine (seed/workflows/senior_citizen.yaml).
    status = me.StringField(choices=SENIOR_STATUSES, default="enrolled", required=True)
    version = me.IntField(default=1, required=True)
    ended_reason = me.StringField(max_length=1000)
    visit_every_days = me.IntField(required=True, min_value=1, max_value=90)
    next_visit_due = me.DateTimeField(required=True)
    # The SHO was told that the visit due at next_visit_due was missed (cleared by the next visit).
    visit_missed_notified = me.BooleanField(default=False, required=True)
    visits = me.EmbeddedDocumentListField(SeniorVisit)

    meta = {
        "collection": "senior_citizens",
        "indexes": [("station", "status", "next_visit_due"), ("status", "next_visit_due")],
        "ordering": ["next_visit_due"],
    }
    __scope__ = {"state": "state", "district": "district", "station": "station"}

    def __str__(self):
        return f"{self.number} {self.name}"
