"""Uploaded files awaiting or attached to a request; the bytes live on disk under UPLOAD_DIR."""

import mongoengine as me

from .base import utcnow

__all__ = ["Upload"]


class Upload(me.Document):
    file_id = me.StringField(required=True, unique=True, max_length=32)
    owner = me.ReferenceField("User", required=True)
    filename = me.StringField(max_length=200)
    mime = me.StringField(required=True, max_length=60)
    size = me.IntField(required=True, min_value=1)
    sha256 = me.StringField(required=True, max_length=64)
    created_at = me.DateTimeField(default=utcnow, required=True)
    attached_to = me.ReferenceField("ServiceRequest")
    # True from upload until the file becomes part of a request, register entry or visit;
    # still true a day later, it is an orphan and is purged. Older records lack it: kept.
    pending = me.BooleanField()

    meta = {"collection": "uploads", "indexes": ["owner", ("owner", "created_at"), "pending"]}

    def __str__(self):
        return f"{self.file_id} ({self.mime}, {self.size} bytes)"
