"""Documents the portal issues (certificates, letters, cards), verifiable by their short code.

`statements` is exactly what the document says and what the public verification page shows;
`signature` is an Ed25519 signature over them (services.documents), so a record altered in the
database fails its check. The PDF is rendered once, on first download, and its SHA-256 kept, so a
PDF someone uploads for checking is recognised byte for byte or not at all.
"""

import mongoengine as me

from .base import utcnow

__all__ = ["IssuedDocument"]


class IssuedDocument(me.Document):
    code = me.StringField(primary_key=True, max_length=12)  # shown as XXXX-XXXX-XXXX
    # "<request>:<kind>", or "fir:<fir>:fir_copy": one document of a kind per request or FIR.
    request_kind = me.StringField(required=True, unique=True, max_length=80)
    kind = me.StringField(required=True, max_length=40)
    request = me.ReferenceField("ServiceRequest")  # the request it was issued on, or
    fir = me.ReferenceField("Fir")  # the FIR whose copy it is
    number = me.StringField(required=True, max_length=40)
    state = me.ReferenceField("State", required=True)
    district = me.ReferenceField("District")  # None for a state's own document (vehicle NOC)
    station = me.ReferenceField("PoliceStation")
    applicant = me.ReferenceField("User")  # none for a public copy (a redacted FIR): nobody owns it
    issued_at = me.DateTimeField(default=utcnow, required=True)
    statements = me.DictField(required=True)
    key_id = me.StringField(required=True, max_length=16)
    signature = me.StringField(required=True, max_length=120)
    pdf_sha256 = me.StringField(max_length=64)
    revoked_at = me.DateTimeField()
    revoked_by = me.ReferenceField("User")
    revoked_reason = me.StringField(max_length=500)

    meta = {
        "collection": "issued_documents",
        "indexes": ["request", "fir", "pdf_sha256"],
        "ordering": ["-issued_at"],
    }
    __scope__ = {
        "state": "state",
        "district": "district",
        "station": "station",
        "owner": "applicant",
    }

    def __str__(self):
        return f"{self.kind} {self.code}"
