"""Exports an officer asked for: a CSV written by a worker, with its progress, kept for a day.

The worker counts the rows first and records how many it has written every few hundred, so the
page that started the export shows how far it has got instead of a request that times out.
"""

import mongoengine as me

from .base import utcnow

__all__ = ["ExportJob", "EXPORT_STATUSES"]

EXPORT_STATUSES = ("queued", "running", "done", "failed")


class ExportJob(me.Document):
    owner = me.ReferenceField("User", required=True)
    kind = me.StringField(required=True, max_length=40)  # services.exports.KINDS
    service = me.StringField(max_length=60)  # a service code to narrow to, or None for all
    status = me.StringField(choices=EXPORT_STATUSES, default="queued", required=True)
    total = me.IntField(default=0, min_value=0)
    written = me.IntField(default=0, min_value=0)
    filename = me.StringField(max_length=120)
    error = me.StringField(max_length=300)
    created_at = me.DateTimeField(default=utcnow, required=True)
    started_at = me.DateTimeField()
    finished_at = me.DateTimeField()

    meta = {
        "collection": "export_jobs",
        "indexes": [("owner", "-created_at"), "created_at"],
        "ordering": ["-created_at"],
    }

    @property
    def percent(self):
        if self.status == "done":
            return 100
        return int(100 * self.written / self.total) if self.total else 0
