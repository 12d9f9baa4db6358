"""Claims: a document whose unique _id says "this one step is mine".

The portable compare-and-set. Inserting a document with a given _id is atomic on MongoDB,
FerretDB and mongomock alike; findAndModify with a filter is not atomic on FerretDB 1.24's SQLite
backend (two concurrent writers can both match; see docs/ferretdb.md).
"""

import mongoengine as me

from .base import utcnow

__all__ = ["Claim"]


class Claim(me.Document):
    key = me.StringField(primary_key=True, max_length=200)
    created_at = me.DateTimeField(default=utcnow, required=True)

    meta = {"collection": "claims", "indexes": ["created_at"]}

    def __str__(self):
        return self.key
