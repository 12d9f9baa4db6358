"""Request events waiting for their notifications: the durable half of the task queue.

A submission, a transition, an escalation, a warning, an appeal, a step of an FIR or a possible
match in the registers writes one
RequestEvent (keyed "<subject>:<event>:<seq>", so recording it twice leaves one) before a Celery
task is queued for it. The task marks it done; the beat re-queues events still pending after a
while, so an event survives a broker that was down, restarted empty or lost a message.
"""

import mongoengine as me

from .base import utcnow

__all__ = ["RequestEvent"]


class RequestEvent(me.Document):
    key = me.StringField(primary_key=True, max_length=200)
    # What the event is about: a request, an FIR (which may have no request, at the desk) or a
    # register entry (a possible match of a missing person).
    request = me.ReferenceField("ServiceRequest")
    fir = me.ReferenceField("Fir")
    entry = me.ReferenceField("RegisterEntry")
    event = me.StringField(required=True, max_length=40)
    seq = me.IntField(required=True)  # the subject's version, escalation level or appeal level
    # What the notification must say even if the request moves on before it is sent: for a
    # transition, the state reached and the remark.
    detail = me.DictField()
    created_at = me.DateTimeField(default=utcnow, required=True)
    done_at = me.DateTimeField()
    # Last time the beat queued it again; a backlog is not re-queued every minute.
    requeued_at = me.DateTimeField()

    meta = {"collection": "request_events", "indexes": [("done_at", "created_at")]}

    def clean(self):
        if sum(about is not None for about in (self.request, self.fir, self.entry)) != 1:
            raise me.ValidationError("an event is about one request, one FIR or one entry")

    def __str__(self):
        return self.key
