"""Help → FAQs and Useful links: each state's administrators keep their own, in both languages.
National entries (no state) come from seed/help.yaml and are read-only here."""

from flask_babel import lazy_gettext as _l

from app.models import State

from .base import ScopedModelView, in_my_jurisdiction, localized_name

LABELS = {
    "state": _l("State"),
    "question_en": _l("Question (English)"),
    "question_hi": _l("Question (Hindi)"),
    "answer_en": _l("Answer (English)"),
    "answer_hi": _l("Answer (Hindi)"),
    "title_en": _l("Title (English)"),
    "title_hi": _l("Title (Hindi)"),
    "url": _l("Address (https://…)"),
    "order": _l("Order (smaller first)"),
    "published": _l("Shown on the portal"),
}


class FaqView(ScopedModelView):
    view_permission = "jurisdictions.view"
    edit_permission = "jurisdictions.manage"
    allow_delete = True
    column_list = ("question_en", "question_hi", "state", "order", "published")
    column_labels = LABELS
    column_formatters = {"state": localized_name("state")}
    column_searchable_list = ("question_en", "question_hi")
    form_columns = (
        "state",
        "question_en",
        "question_hi",
        "answer_en",
        "answer_hi",
        "order",
        "published",
    )
    form_widget_args = {"answer_en": {"rows": 6}, "answer_hi": {"rows": 6}}
    reference_queries = {"state": in_my_jurisdiction(State)}


class UsefulLinkView(ScopedModelView):
    view_permission = "jurisdictions.view"
    edit_permission = "jurisdictions.manage"
    allow_delete = True
    column_list = ("title_en", "title_hi", "url", "state", "order", "published")
    column_labels = LABELS
    column_formatters = {"state": localized_name("state")}
    form_columns = ("state", "title_en", "title_hi", "url", "order", "published")
    reference_queries = {"state": in_my_jurisdiction(State)}
