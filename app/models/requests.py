"""Service requests: the applicant's data, the workflow state with its history, and deadlines.

Only services.workflow.apply_transition (and services.appeals, reopening on an allowed appeal)
changes `status`; both claim the request's version first. Personal data lives in `data` and is
masked wherever it need not be whole.

The clock (services.deadlines): `due_at` is the deadline of the tier now responsible
(`escalation_level` 0 = the designated officer), `escalate_at` and `warn_at` are when the sweep
next acts (None once done, or when closed), each with its hour for the sweep's buckets, and
`paused_at` is set while a state stops the clock.
"""

import mongoengine as me

from .base import BaseDocument, utcnow

__all__ = [
    "ServiceRequest",
    "Fee",
    "PAYMENT_MODES",
    "HistoryEntry",
    "InternalNote",
    "Attachment",
    "DataVersion",
    "Counter",
    "IdempotencyRecord",
    "Escalation",
    "Rating",
    "TransferProposal",
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
    # A step's structured report (a verification's findings, visit date...): officers only;
    # its photos are the request's attachments named report_<field>.
    report = me.DictField()


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


class Escalation(me.EmbeddedDocument):
    """One step up the Citizens Charter chain, taken by the deadline sweep."""

    at = me.DateTimeField(default=utcnow, required=True)
    level = me.IntField(required=True, min_value=1)
    tier = me.StringField(required=True, max_length=20)  # competent, appellate
    role = me.StringField(required=True, max_length=40)
    missed_due_at = me.DateTimeField()  # the deadline that was missed
    due_at = me.DateTimeField()  # the new tier's deadline


class Rating(me.EmbeddedDocument):
    """The applicant's rating of a closed request; "poor" opens an appeal."""

    at = me.DateTimeField(default=utcnow, required=True)
    score = me.StringField(required=True, choices=("good", "average", "poor"))
    comment = me.StringField(max_length=1000)


PAYMENT_MODES = ("cash", "upi", "challan", "online")


class Fee(me.EmbeddedDocument):
    """What a request owes, fixed at submission from its definition's `fee` (services.fees), and
    its payment once recorded by an officer or confirmed by the payment gateway."""

    amount = me.IntField(required=True, min_value=0)  # whole rupees due; 0 when exempt
    exempt_reason = me.DictField()  # {en, hi}: who is exempt, when nothing is due
    pay_before = me.StringField(max_length=40)  # the action that needs the payment first
    paid_at = me.DateTimeField()
    receipt = me.StringField(max_length=60)
    mode = me.StringField(choices=PAYMENT_MODES)
    recorded_by = me.ReferenceField("User")

    @property
    def outstanding(self):
        return self.amount > 0 and self.paid_at is None


class TransferProposal(me.EmbeddedDocument):
    """A transfer to another station waiting for the SHO: proposed by an officer of the request's
    station, or asked for by the applicant (services.transfers)."""

    at = me.DateTimeField(default=utcnow, required=True)
    to_station = me.ReferenceField("PoliceStation", required=True)
    reason = me.StringField(required=True, max_length=500)
    by = me.ReferenceField("User", required=True)
    by_role = me.StringField(required=True, max_length=40)


class ServiceRequest(BaseDocument):
    number = me.StringField(required=True, unique=True, max_length=40)
    service = me.StringField(required=True, max_length=40)
    service_version = me.IntField(required=True)
    state = me.ReferenceField("State", required=True)
    district = me.ReferenceField("District", required=True)
    station = me.ReferenceField("PoliceStation", required=True)
    # None for a request filed at the desk for a walk-in citizen until they claim it
    # (services.assisted): they are reached at walk_in_mobile meanwhile.
    applicant = me.ReferenceField("User")
    applicant_name = me.StringField(max_length=120)
    filed_by = me.ReferenceField("User")  # the desk officer or CSC operator who filed it
    walk_in_mobile = me.StringField(max_length=10)
    walk_in_email = me.StringField(max_length=255)
    walk_in_language = me.StringField(max_length=2)
    claim_hash = me.StringField(max_length=64)  # keyed hash of the code sent to that mobile
    claim_failures = me.IntField(default=0)
    # The person the request is about (the tenant, the employee), for officers' lists, and the
    # keys an officer finds it by (services.request_search: name words, mobiles, Aadhaar's
    # last four as a keyed hash).
    subject_name = me.StringField(max_length=120)
    search_keys = me.ListField(me.StringField(max_length=80))
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
    escalate_at = me.DateTimeField()
    warn_at = me.DateTimeField()
    # Their hours (services.due_hours), None while paused: the sweep finds what is due by
    # equality on these, which an index answers, instead of a range over all open requests.
    escalate_hour = me.IntField()
    warn_hour = me.IntField()
    paused_at = me.DateTimeField()
    escalations = me.EmbeddedDocumentListField(Escalation)
    rating = me.EmbeddedDocumentField(Rating)
    fee = me.EmbeddedDocumentField(Fee)  # only for a service whose definition charges one
    transfer_proposal = me.EmbeddedDocumentField(TransferProposal)  # waiting for the SHO
    late = me.BooleanField(default=False)  # e.g. a C-Form filed after the filer's deadline
    channel = me.StringField(max_length=20)  # "open311": reported by a partner app (listed there)
    # True until the request reaches a final state (kept by submit, apply_transition and an
    # appeal's reopening, the only writers of closed_at): a station's open work is top-level
    # equality on (station, is_open), which FerretDB answers from two GIN indexes, and the set
    # it returns is the station's open work, not its history.
    is_open = me.BooleanField()

    # What lists never show: the applicant's form data, its earlier versions, files and notes,
    # left out of list queries (`.exclude(*ServiceRequest.LIST_EXCLUDES)`) so a page reads rows,
    # not files' worth of personal data.
    LIST_EXCLUDES = ("data", "previous_data", "attachments", "notes")

    meta = {
        "collection": "service_requests",
        "indexes": [
            ("applicant", "-submitted_at"),
            ("station", "is_open"),
            ("station", "status", "due_at"),
            ("district", "status", "due_at"),
            ("state", "status", "due_at"),
            ("assigned_to", "status"),
            ("service", "station", "-submitted_at"),
            ("channel", "state", "-submitted_at"),
            ("status", "due_at"),
            "search_keys",
            "escalate_hour",
            "warn_hour",
            ("state", "closed_at", "submitted_at"),
        ],
        # No default ordering: it turned every .first() (the status lookup by number
        # included) into "sort the whole match, take one". Lists order explicitly.
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
