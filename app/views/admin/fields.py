"""Admin form fields that convert and scope input before it reaches a query.

Flask-Admin's reference select (1) passes the posted string straight to `queryset.get(pk=...)`,
so a malformed id raised inside mongoengine (a 500); (2) reads its choices when the form is
built, before a view could narrow them to the user's jurisdictions; and (3) silently blanks an
optional reference whose id is not found. Here the id is checked first, the choices come from a
query factory called at use time, and an unknown or out-of-scope id is "Not a valid choice".
"""

from bson import ObjectId
from flask_admin.babel import gettext
from flask_admin.contrib.mongoengine import filters
from flask_admin.contrib.mongoengine.form import CustomModelConverter, ModelSelectField
from wtforms.validators import ValidationError

from app import db


def object_ids(values):
    """The values that are well-formed ObjectIds, converted; the rest are dropped."""
    return [ObjectId(v) for v in values if isinstance(v, str) and ObjectId.is_valid(v)]


class SafeModelSelectField(ModelSelectField):
    def __init__(self, *args, query_factory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.query_factory = query_factory
        self.rejected = False

    def _refresh(self):
        if self.query_factory is not None:
            self.queryset = self.query_factory()

    def iter_choices(self):
        self._refresh()
        yield from super().iter_choices()

    def process_formdata(self, valuelist):
        self.rejected = False
        if not valuelist or valuelist[0] in ("", "__None"):
            self.data = None
            return
        ids = object_ids(valuelist[:1])
        self._refresh()
        self.data = self.queryset.filter(pk=ids[0]).first() if ids else None
        self.rejected = self.data is None

    def pre_validate(self, form):
        if self.rejected:
            raise ValidationError(gettext("Not a valid choice"))
        super().pre_validate(form)


class SafeModelConverter(CustomModelConverter):
    """Reference fields become SafeModelSelectFields, scoped by the view's reference_queries."""

    def conv_Reference(self, model, field, kwargs):
        kwargs["allow_blank"] = not field.required
        factory = getattr(self.view, "reference_queries", {}).get(field.name)
        return SafeModelSelectField(model=field.document_type, query_factory=factory, **kwargs)


class PortableLike(filters.FilterLike):
    """ "contains", case-insensitive, as a plain bson Regex that FerretDB accepts (mongoengine's
    __icontains sends a Python pattern with the "u" flag, which FerretDB refuses) and with the
    typed text escaped: always a literal, never a pattern."""

    def apply(self, query, value):
        return query.filter(**{self.column: db.icontains(str(value)[:100])})


class PortableFilterConverter(filters.FilterConverter):
    # No "not contains": a negated regex is not portable either, and nobody asked for it.
    strings = (
        PortableLike,
        filters.FilterEqual,
        filters.FilterNotEqual,
        filters.FilterEmpty,
        filters.FilterInList,
        filters.FilterNotInList,
    )
