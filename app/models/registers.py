"""Public registers kept by officers (missing persons, unidentified found persons and bodies,
proclaimed offenders, stolen and recovered vehicles, unclaimed property, arrested persons).

One collection for every kind; what a kind records is data (seed/registers.yaml). An entry is
`pending` until the SHO of its station approves it, then `published`; `withdrawn` when it no
longer stands (the person was found, the vehicle returned). Only published entries, and only
their public fields, reach the public pages, the API, the central feed and open data.
"""

import mongoengine as me

from .base import BaseDocument

__all__ = ["RegisterEntry", "RegisterMatch", "ENTRY_STATUSES", "CentralEntry", "FeedCursor"]

ENTRY_STATUSES = ("pending", "published", "withdrawn")


class RegisterMatch(me.EmbeddedDocument):
    """A possible match between a found person or body and a missing person."""

    entry = me.ReferenceField("RegisterEntry", required=True)
    score = me.IntField(required=True)
    reasons = me.ListField(me.StringField(max_length=40))


class RegisterEntry(BaseDocument):
    kind = me.StringField(required=True, max_length=40)
    state = me.ReferenceField("State", required=True)
    district = me.ReferenceField("District", required=True)
    station = me.ReferenceField("PoliceStation", required=True)
    data = me.DictField(required=True)
    photo_file_id = me.StringField(max_length=64)
    fir = me.ReferenceField("Fir")  # the case it belongs to, when there is one (never sensitive)
    status = me.StringField(required=True, choices=ENTRY_STATUSES, default="pending")
    # Moved on by every step (services.engine); a step written over another version is refused.
    version = me.IntField(required=True, default=1)
    created_by = me.ReferenceField("User", required=True)
    approved_by = me.ReferenceField("User")
    published_at = me.DateTimeField()
    withdrawn_reason = me.StringField(max_length=500)
    # Lower-cased public search text, and normalised vehicle numbers (no spaces or dashes):
    # portable "contains" and exact look-ups on FerretDB without regular expressions.
    search_text = me.StringField(max_length=4000)
    vehicle_keys = me.ListField(me.StringField(max_length=40))
    matches = me.EmbeddedDocumentListField(RegisterMatch)
    # Every change that the public or the central feed should see moves `feed_seq` forward.
    feed_seq = me.IntField(default=0)

    meta = {
        "collection": "register_entries",
        "indexes": [
            ("kind", "status", "-published_at"),
            ("status", "vehicle_keys"),
            ("state", "feed_seq"),
            ("station", "kind", "status"),
        ],
        "ordering": ["-created_at"],
    }
    __scope__ = {"state": "state", "district": "district", "station": "station"}


class CentralEntry(BaseDocument):
    """A published entry of one state, as the central (NCRB) instance pulled it from the feed."""

    key = me.StringField(primary_key=True, max_length=80)  # "<state>:<entry id>"
    state = me.StringField(required=True, max_length=4)
    kind = me.StringField(required=True, max_length=40)
    station = me.StringField(max_length=40)
    fields = me.DictField()  # the public fields, {name: {"en", "hi", "label": {...}}}
    search_text = me.StringField(max_length=4000)
    vehicle_keys = me.ListField(me.StringField(max_length=40))
    published_at = me.DateTimeField()
    withdrawn = me.BooleanField(default=False)
    seq = me.IntField(default=0)

    meta = {
        "collection": "central_entries",
        "indexes": [("kind", "withdrawn"), "vehicle_keys", "state"],
    }


class FeedCursor(me.Document):
    """How far the central instance has read one state's feed, and how the last pull went."""

    state = me.StringField(primary_key=True, max_length=4)
    after = me.IntField(default=0)
    last_ok_at = me.DateTimeField()
    last_error = me.StringField(max_length=500)
    last_error_at = me.DateTimeField()
    pulled = me.IntField(default=0)

    meta = {"collection": "feed_cursors"}
