"""The base of every admin view: permission-gated, jurisdiction-scoped, CSRF-protected, audited.

A view names the permission that opens it (`view_permission`) and the one that allows writes
(`edit_permission`); its queries go through services.access, so a state administrator of one
state never sees, picks or saves another state's records.
"""

from datetime import datetime

from flask import abort, redirect, request, url_for
from flask_admin.contrib.mongoengine import ModelView
from flask_admin.contrib.mongoengine.typefmt import DEFAULT_FORMATTERS
from flask_admin.form import BaseForm
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from mongoengine.queryset.visitor import Q

from app import db
from app.i18n import current_language
from app.models.jurisdictions import localized
from app.services import access, audit
from app.views.filters import local_datetime

from .fields import PortableFilterConverter, SafeModelConverter


class AdminForm(FlaskForm, BaseForm):
    """Flask-WTF's CSRF token on every admin form, action and delete button."""


def has_permission(permission):
    user = current_user
    return bool(
        permission
        and user
        and user.is_authenticated
        and user.active
        and user.has_permission(permission)
    )


class SecuredView:
    view_permission = "admin.access"

    def is_accessible(self):
        return has_permission(self.view_permission)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("security.login", next=request.full_path))
        abort(403)


def _ist_datetime(view, value, name=None):
    return local_datetime(value)


# Every time in the admin's lists and detail pages as officers read them: India time,
# dd-mm-yyyy HH:MM (Flask-Admin would print the stored UTC with seconds).
TIME_FORMATTERS = {**DEFAULT_FORMATTERS, datetime: _ist_datetime}


class ScopedModelView(SecuredView, ModelView):
    edit_permission = None
    column_type_formatters = TIME_FORMATTERS
    column_type_formatters_detail = TIME_FORMATTERS
    form_base_class = AdminForm
    model_form_converter = SafeModelConverter
    filter_converter = PortableFilterConverter()
    simple_list_pager = True
    page_size = 50
    can_view_details = True
    can_set_page_size = False
    # Field name → callable returning the queryset a reference may choose from (see fields.py).
    reference_queries = {}

    @property
    def can_create(self):
        return self.allow_create and has_permission(self.edit_permission)

    @property
    def can_edit(self):
        return self.allow_edit and has_permission(self.edit_permission)

    @property
    def can_delete(self):
        return self.allow_delete and has_permission(self.edit_permission)

    allow_create = True
    allow_edit = True
    allow_delete = False

    def get_query(self):
        return access.scoped(self.model.objects, current_user)

    def search_placeholder(self):
        return str(_("Search"))

    def _search(self, query, search_term):
        """Case-insensitive "contains" over the searchable columns, portable to FerretDB."""
        term = (search_term or "").strip()[:100]
        if not term:
            return query
        condition = None
        for field in self._search_fields:
            clause = Q(**{field.name: db.icontains(term)})
            condition = clause if condition is None else condition | clause
        return query.filter(condition) if condition is not None else query

    def get_one(self, id):
        document = super().get_one(id)
        if document is None:
            abort(404)
        return document

    def on_model_change(self, form, model, is_created):
        if not access.within_scope(current_user, model):
            abort(403)

    def after_model_change(self, form, model, is_created):
        audit.record(
            "admin.create" if is_created else "admin.update",
            actor=current_user,
            target=model,
            state=_state_of(model),
            view=self.endpoint,
        )

    def after_model_delete(self, model):
        audit.record(
            "admin.delete",
            actor=current_user,
            target=model,
            state=_state_of(model),
            view=self.endpoint,
        )


def localized_name(attribute):
    """A list-column formatter showing a referenced place in the page's language, with its code."""

    def format_cell(view, context, model, name):
        place = getattr(model, attribute, None)
        if place is None:
            return ""
        return f"{localized(place, 'name', current_language())} ({place.code})"

    return format_cell


def in_my_jurisdiction(document_class, **filters):
    """A reference query: documents of that class inside the current user's jurisdictions."""
    return lambda: access.scoped(document_class.objects(**filters), current_user)


class ReadOnlyModelView(ScopedModelView):
    allow_create = False
    allow_edit = False
    allow_delete = False
    form_columns = ()


def _state_of(model):
    path = getattr(type(model), "__scope__", {}).get("state")
    if path == "id":
        return model
    return getattr(model, path, None) if path else None


def state_services():
    """(code, name) of the live services of the officer's state, in the page's language."""
    from app.services import service_types

    state = current_user.state
    if state is None:
        return []
    language = current_language()
    return [
        (s.code, s.name_hi if language == "hi" else s.name_en)
        for s in service_types.live_services(state)
    ]


def field_errors(error):
    """A FieldErrors' messages as text, for a template."""
    return {name: str(message) for name, message in error.errors.items()}
