"""The wording of messages as administrators changed it: SMS templates registered with the DLT
platform, and the texts of in-app notices and emails.

Indian operators deliver a commercial or service SMS only if its text matches a template the
sender registered on the DLT platform (TRAI's Telecom Commercial Communications Customer
Preference Regulations, 2018) and the message carries that template's id. A row here is the
portal's text for one kind of SMS in one language, with its DLT template id; a kind without a row
is sent in its default wording (services.sms_templates). A NoticeTemplate is the same for an
in-app notice or an email (services.notice_templates).
"""

import mongoengine as me

from .base import utcnow

__all__ = ["NoticeTemplate", "SmsTemplate"]


class SmsTemplate(me.Document):
    kind = me.StringField(required=True, max_length=40)
    language = me.StringField(required=True, choices=("en", "hi"))
    text = me.StringField(max_length=320)  # None: the default wording, with the id below
    dlt_template_id = me.StringField(max_length=30)
    updated_by = me.ReferenceField("User")
    updated_at = me.DateTimeField(default=utcnow, required=True)

    meta = {
        "collection": "sms_templates",
        "indexes": [{"fields": ["kind", "language"], "unique": True}],
    }

    def __str__(self):
        return f"{self.kind} ({self.language})"


class NoticeTemplate(me.Document):
    kind = me.StringField(required=True, max_length=40)
    channel = me.StringField(required=True, choices=("in_app", "email"))
    language = me.StringField(required=True, choices=("en", "hi"))
    subject = me.StringField(max_length=150)  # an email's; None: the default
    text = me.StringField(max_length=1000)  # None: the default
    updated_by = me.ReferenceField("User")
    updated_at = me.DateTimeField(default=utcnow, required=True)

    meta = {
        "collection": "notice_templates",
        "indexes": [{"fields": ["kind", "channel", "language"], "unique": True}],
    }

    def __str__(self):
        return f"{self.kind} {self.channel} ({self.language})"
