"""Service requests: the applicant's data, the workflow state with its history, and deadlines.

Only services.workflow.apply_transition changes `status`; it compares-and-sets on `status` and
`version`. Personal data lives in `data` and is masked wherever it need not be whole.
"""

import mongoengine as me

from .base import BaseDocument, utcnow

__all__ = [
    "ServiceRequest",
    "HistoryEntry",
    "InternalNote",
    "Attachment",
    "DataVersion",
    "Counter",
    "IdempotencyRecord",
]


class HistoryEntry(me.EmbeddedDocument):
    at = me.DateTimeField(default=utcnow, required=True)
    actor = me.ReferenceField("User")
    actor_role = me.StringField(max_length=40)
    action = me.StringField(required=True, max_length=40)
    from_state = me.StringField(max_length=40)
    to_state = me.StringField(required=True, max_length=40)
    remark = me.StringField(max_length=2000)  # public: the applicant sees it
    public_en = me.StringField(max_length=200)
    public_hi = me.StringField(max_length=200)


class InternalNote(me.EmbeddedDocument):
    """Officers' notes; never shown to the applicant or in the public status."""

    at = me.DateTimeField(default=utcnow, required=True)
    author = me.ReferenceField("User", required=True)
    text = me.StringField(required=True, max_length=2000)


class Attachment(me.EmbeddedDocument):
    field = me.StringField(required=True, max_length=40)
    file_id = me.StringField(required=True, max_length=64)  # name under UPLOAD_DIR
    filename = me.StringField(max_length=200)
    mime = me.StringField(required=True, max_length=60)
    size = me.IntField(required=True, min_value=1)
    sha256 = me.StringField(required=True, max_length=64)


class DataVersion(me.EmbeddedDocument):
    """The form data as it was before an applicant's edit."""

    at = me.DateTimeField(default=utcnow, required=True)
    data = me.DictField()


class ServiceRequest(BaseDocument):
    number = me.StringField(required=True, unique=True, max_length=40)
    service = me.StringField(required=True, max_length=40)
    service_version = me.IntField(required=True)
    state = me.ReferenceField("State", required=True)
    district = me.ReferenceField("District", required=True)
    station = me.ReferenceField("PoliceStation", required=True)
    applicant = me.ReferenceField("User", required=True)
    applicant_name = me.StringField(max_length=120)
    data = me.DictField()
    attachments = me.EmbeddedDocumentListField(Attachment)
    previous_data = me.EmbeddedDocumentListField(DataVersion)

    status = me.StringField(required=True, max_length=40)
    version = me.IntField(required=True, default=1)
    history = me.EmbeddedDocumentListField(HistoryEntry)
    notes = me.EmbeddedDocumentListField(InternalNote)
    assigned_to = me.ReferenceField("User")
    submitted_at = me.DateTimeField(default=utcnow, required=True)
    closed_at = me.DateTimeField()
    due_at = me.DateTimeField()
    escalation_level = me.IntField(default=0)
    late = me.BooleanField(default=False)  # e.g. a C-Form filed after the filer's deadline

    meta = {
        "collection": "service_requests",
        "indexes": [
            ("applicant", "-submitted_at"),
            ("station", "status", "due_at"),
            ("district", "status", "due_at"),
            ("state", "status", "due_at"),
            ("assigned_to", "status"),
            ("service", "station", "-submitted_at"),
            ("status", "due_at"),
        ],
        "ordering": ["-submitted_at"],
    }
    __scope__ = {
        "state": "state",
        "district": "district",
        "station": "station",
        "owner": "applicant",
    }

    def __str__(self):
        return self.number


class Counter(me.Document):
    """An atomic sequence, e.g. requests per state, year and service (key "HR-2026-TEN")."""

    key = me.StringField(primary_key=True, max_length=80)
    seq = me.IntField(default=0)

    meta = {"collection": "counters"}

    def __str__(self):
        return f"{self.key}={self.seq}"


class IdempotencyRecord(me.Document):
    """One Idempotency-Key of one caller and the request it created.

    A collection of its own, keyed "<user id>:<key>": a unique index on (applicant, key) inside
    service_requests would also index every request sent without a key (a sparse compound index
    includes any document that has one of its fields), and FerretDB refuses partial indexes.
    """

    key = me.StringField(primary_key=True, max_length=240)
    body_hash = me.StringField(required=True, max_length=64)
    request = me.ReferenceField(ServiceRequest, required=True)
    created_at = me.DateTimeField(default=utcnow, required=True)

    meta = {"collection": "idempotency_records"}

    def __str__(self):
        return self.key
