"""A citizen's unfinished service form, kept as they type (services.drafts): one per account and
service, never with a file or an Aadhaar number."""

import mongoengine as me

from .base import utcnow

__all__ = ["FormDraft"]


class FormDraft(me.Document):
    key = me.StringField(primary_key=True, max_length=80)  # "<user id>:<service code>"
    user = me.ReferenceField("User", required=True)
    service = me.StringField(required=True, max_length=40)
    values = me.DictField()  # field name → the text typed, as the form posts it
    updated_at = me.DateTimeField(default=utcnow, required=True)

    meta = {"collection": "form_drafts", "indexes": ["user", "updated_at"]}
