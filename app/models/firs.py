"""First Information Reports and the case that follows them (BNSS 2023 s.173).

A `Fir` is registered by a station: from a complaint made online (an e-FIR, which is taken on
record only once the informant confirms it within three days), from an informant at the desk, or
as a Zero FIR for a place under another station, which re-registers it (both numbers stay linked).
Offences punishable with three to seven years may first get a preliminary enquiry of up to 14
days. The complainant follows the investigation, arrests, charge-sheet or final report and the
court case. Non-sensitive FIRs are listed publicly, redacted, from registration (the Supreme
Court's 24 hours); one whose category or sections are sensitive, or that its SHO withholds with a
reason, is never shown publicly.

`LawSection` is the curated list of sections an officer picks from (editable in the admin).
"""

import mongoengine as me

from .base import BaseDocument, utcnow

__all__ = [
    "Fir",
    "LawSection",
    "CaseUpdate",
    "Arrest",
    "CourtCase",
    "Hearing",
    "FIR_STATUSES",
    "FIR_ON_RECORD",
]

# The steps between them are seed/workflows/fir.yaml (services.engine checks the two agree).
FIR_STATUSES = (
    "draft",  # being written: moved on in the same call that created it
    "pending_confirmation",  # an e-FIR waiting for the informant's signature (3 days)
    "lapsed",  # not confirmed in time
    "preliminary_enquiry",  # 3–7 year offences, up to 14 days before registering or closing
    "enquiry_closed",  # no cognizable offence found by the preliminary enquiry
    "registered",
    "transferred",  # a Zero FIR sent to the station with jurisdiction
    "under_investigation",
    "charge_sheet_filed",
    "final_report_filed",
    "in_court",
    "decided",
)

# On record: numbered in the station's register (what the complainant and the public may see).
FIR_ON_RECORD = frozenset(
    {
        "registered",
        "transferred",
        "under_investigation",
        "charge_sheet_filed",
        "final_report_filed",
        "in_court",
        "decided",
    }
)


class LawSection(me.Document):
    code = me.StringField(primary_key=True, max_length=40)  # "BNS 303(2)"
    act = me.StringField(required=True, max_length=40)
    section = me.StringField(required=True, max_length=20)
    title_en = me.StringField(required=True, max_length=200)
    title_hi = me.StringField(required=True, max_length=200)
    max_years = me.IntField(required=True, min_value=0, max_value=99)  # 99: life or death
    cognizable = me.BooleanField(default=True)
    sensitive = me.BooleanField(default=False)  # never in public search, API or open data
    active = me.BooleanField(default=True)

    meta = {"collection": "law_sections", "ordering": ["act", "section"]}

    def __str__(self):
        return f"{self.code} — {self.title_en}"


class CaseUpdate(me.EmbeddedDocument):
    """One step the complainant is told of (investigation, arrest, report, court)."""

    at = me.DateTimeField(default=utcnow, required=True)
    kind = me.StringField(required=True, max_length=30)
    text = me.StringField(default="", max_length=2000)  # the officer's words, as written
    detail = me.DictField()  # the step's facts (dates, court, outcome), worded when shown
    by = me.ReferenceField("User")


class Arrest(me.EmbeddedDocument):
    at = me.DateTimeField(required=True)
    name = me.StringField(required=True, max_length=120)
    recorded_by = me.ReferenceField("User", required=True)


class Hearing(me.EmbeddedDocument):
    on = me.DateTimeField(required=True)
    purpose = me.StringField(max_length=200)


class CourtCase(me.EmbeddedDocument):
    court = me.StringField(required=True, max_length=200)
    case_number = me.StringField(required=True, max_length=60)
    hearings = me.EmbeddedDocumentListField(Hearing)
    outcome = me.StringField(max_length=40)  # convicted / acquitted / discharged / compounded
    outcome_text = me.StringField(max_length=1000)
    decided_on = me.DateTimeField()


class Fir(BaseDocument):
    # "<station code>/<year>/<seq>" for a registered FIR, "<station>/Z<year>/<seq>" for a Zero FIR,
    # "draft:<token>" until an e-FIR is confirmed (a lapsed e-FIR leaves no gap in the register).
    # Never empty: FerretDB 1.24 ignores `sparse`, so a unique index would refuse a second null.
    key = me.StringField(required=True, unique=True, max_length=60)
    number = me.StringField(max_length=20)  # "0123/2026", or "Z-0004/2026"
    year = me.IntField()
    state = me.ReferenceField("State", required=True)
    district = me.ReferenceField("District", required=True)
    station = me.ReferenceField("PoliceStation", required=True)
    complaint = me.ReferenceField("ServiceRequest")
    complainant = me.ReferenceField("User")  # the informant's account, when there is one
    informant_name = me.StringField(required=True, max_length=120)
    # Given at the desk, so the informant can be told of the case by SMS (officers only).
    informant_mobile = me.StringField(max_length=10)
    informant_address = me.StringField(max_length=500)
    informant_language = me.StringField(max_length=2, default="hi")  # of the SMS to that mobile
    electronic = me.BooleanField(default=False)  # given online: an e-FIR
    confirm_by = me.DateTimeField()
    confirmed_at = me.DateTimeField()
    confirmed_as = me.StringField(max_length=120)  # the name the informant signed with
    lapse_notified = me.BooleanField(default=False)
    sections = me.ListField(me.StringField(max_length=40))
    category = me.StringField(required=True, max_length=40)
    sensitive = me.BooleanField(default=False, required=True)
    # An SHO may keep an FIR off the public listing with a reason (officers only), besides the
    # categories and sections that are sensitive by law.
    withheld_reason = me.StringField(max_length=1000)
    withheld_by = me.ReferenceField("User")
    withheld_at = me.DateTimeField()
    # The public listing's day buckets ("HR:2026-12-02", "HR-GGM-SEC29:2026-12-02", registration
    # day in IST), empty for an FIR that is not public: the listing reads one bucket by equality.
    public_keys = me.ListField(me.StringField(max_length=60))
    occurred_from = me.DateTimeField(required=True)
    occurred_to = me.DateTimeField()
    place = me.StringField(required=True, max_length=500)
    accused_known = me.BooleanField(default=False)
    accused = me.StringField(max_length=1000)  # officers only
    brief = me.StringField(required=True, max_length=5000)
    status = me.StringField(required=True, choices=FIR_STATUSES)
    # Moved on by every change through services.firs' one door (_claim/_write): two officers
    # acting on one FIR at once cannot both succeed.
    version = me.IntField(required=True, default=1)
    enquiry_due = me.DateTimeField()
    enquiry_notified = me.BooleanField(default=False)
    registered_at = me.DateTimeField()
    registered_by = me.ReferenceField("User", required=True)
    # Zero FIR: the station with jurisdiction, and the FIR it re-registered there (and back).
    zero = me.BooleanField(default=False)
    jurisdiction_station = me.ReferenceField("PoliceStation")
    transferred_to = me.ReferenceField("Fir")
    transferred_from = me.ReferenceField("Fir")
    investigating_officer = me.ReferenceField("User")
    updates = me.EmbeddedDocumentListField(CaseUpdate)
    arrests = me.EmbeddedDocumentListField(Arrest)
    court = me.EmbeddedDocumentField(CourtCase)

    meta = {
        "collection": "firs",
        "indexes": [
            ("station", "year", "number"),
            ("state", "-created_at"),
            ("status", "confirm_by"),
            ("status", "enquiry_due"),
            "complaint",
            "complainant",
            "public_keys",
        ],
        "ordering": ["-created_at"],
    }
    __scope__ = {
        "state": "state",
        "district": "district",
        "station": "station",
        "owner": "complainant",
    }

    def __str__(self):
        return f"FIR {self.number or '(awaiting confirmation)'}"
