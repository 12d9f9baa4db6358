"""Outgoing messages: every email is written here first, then delivered by a worker.

In development the outbox is the mailbox (readable at /dev/outbox), for SMS too; with SMTP or an
SMS gateway configured a worker delivers each message once (each attempt is claimed, so re-runs
are harmless).
"""

import mongoengine as me

from .base import utcnow

__all__ = ["OutboxMessage", "OUTBOX_STATUSES"]

STATUS_QUEUED = "queued"
STATUS_SENDING = "sending"
STATUS_SENT = "sent"
STATUS_FAILED = "failed"
# An SMS not sent because its template has no DLT id where one is required (SMS_REQUIRE_DLT):
# operators would drop it; the administrator's SMS wording page counts these.
STATUS_HELD = "held"
OUTBOX_STATUSES = (STATUS_QUEUED, STATUS_SENDING, STATUS_SENT, STATUS_FAILED, STATUS_HELD)


class OutboxMessage(me.Document):
    created_at = me.DateTimeField(default=utcnow, required=True)
    channel = me.StringField(default="email", choices=("email", "sms"))
    template = me.StringField(max_length=80)
    # A notification's key "<request>:<event>:v<seq>:<user>:<channel>" (claimed in
    # services.claims before this message was written, so there is one message per key).
    key = me.StringField(max_length=200)
    to = me.StringField(required=True, max_length=255)
    subject = me.StringField(required=True, max_length=255)
    body_text = me.StringField()
    body_html = me.StringField()
    dlt_template_id = me.StringField(max_length=30)  # SMS only (services.sms_templates)
    status = me.StringField(choices=OUTBOX_STATUSES, default=STATUS_QUEUED)
    attempts = me.IntField(default=0)
    last_error = me.StringField(max_length=500)
    claimed_at = me.DateTimeField()
    sent_at = me.DateTimeField()

    meta = {"collection": "outbox", "indexes": ["-created_at", ("status", "created_at"), "key"]}

    def __str__(self):
        return f"{self.channel} {self.template or ''} {self.status}"
