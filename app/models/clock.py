"""Sweep cursors: for each clock, the earliest due hour that may still hold something due.

See services/due_hours.py. `generation` changes whenever a writer lowers or touches the cursor,
so a sweep that read an hour as empty cannot move the cursor past a write it did not see.
"""

import mongoengine as me

__all__ = ["SweepCursor"]


class SweepCursor(me.Document):
    name = me.StringField(primary_key=True, max_length=40)  # "escalate", "warn"
    hour = me.IntField(required=True)  # whole hours since 1970-01-01 00:00 UTC
    generation = me.IntField(required=True, default=0)

    meta = {"collection": "sweep_cursors"}

    def __str__(self):
        return f"{self.name}@{self.hour}"
