"""FAQs and useful links, managed by each state's administrators in the admin, bilingual.

A state's portal shows its own entries; the seed's national entries (no state) show everywhere.
"""

import mongoengine as me

from .base import BaseDocument

__all__ = ["Faq", "UsefulLink"]


class Faq(BaseDocument):
    state = me.ReferenceField("State")  # None: national, shown in every state
    question_en = me.StringField(required=True, max_length=300)
    question_hi = me.StringField(required=True, max_length=300)
    answer_en = me.StringField(required=True, max_length=3000)
    answer_hi = me.StringField(required=True, max_length=3000)
    order = me.IntField(default=100, min_value=0, max_value=10000)
    published = me.BooleanField(default=True)

    meta = {
        "collection": "faqs",
        "indexes": [("state", "published", "order")],
        "ordering": ["order"],
    }
    __scope__ = {"state": "state"}

    def __str__(self):
        return self.question_en


class UsefulLink(BaseDocument):
    state = me.ReferenceField("State")
    title_en = me.StringField(required=True, max_length=200)
    title_hi = me.StringField(required=True, max_length=200)
    url = me.URLField(required=True, max_length=500, schemes=["https", "http"])
    order = me.IntField(default=100, min_value=0, max_value=10000)
    published = me.BooleanField(default=True)

    meta = {
        "collection": "useful_links",
        "indexes": [("state", "published", "order")],
        "ordering": ["order"],
    }
    __scope__ = {"state": "state"}

    def __str__(self):
        return self.title_en
