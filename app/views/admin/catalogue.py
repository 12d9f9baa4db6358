"""The service catalogue in the admin: a state administrator edits or adds a service definition.

The definition is edited as YAML, validated on save by services.catalogue (errors name the field)
and published by services.service_types as a new version: live at once, no restart, and requests
already made keep the version they were made under.
"""

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, TextAreaField
from wtforms.validators import ValidationError

from app.models import ServiceType, State
from app.services import access, catalogue, service_types

from .base import AdminForm, ScopedModelView


class DefinitionForm(AdminForm):
    definition_yaml = TextAreaField(
        _l("Definition (YAML)"),
        render_kw={"rows": 30, "spellcheck": "false", "class": "form-control text-monospace"},
        description=_l(
            "Fields, workflow, time limits and texts in English and Hindi. Checked when you save."
        ),
    )
    active = BooleanField(_l("Offered to the public"), default=True)

    def validate_definition_yaml(self, field):
        try:
            definition = catalogue.parse_yaml(field.data or "", "definition")
        except catalogue.DefinitionError as error:
            raise ValidationError("; ".join(error.errors)) from error
        errors = catalogue.validate(definition)
        if errors:
            raise ValidationError("; ".join(errors))
        self.definition = definition


class ServiceTypeView(ScopedModelView):
    view_permission = "catalogue.manage"
    edit_permission = "catalogue.manage"
    column_list = ("code", "name_en", "name_hi", "version", "active", "updated_at")
    column_labels = {
        "code": _l("Code"),
        "name_en": _l("Name (English)"),
        "name_hi": _l("Name (Hindi)"),
        "version": _l("Version"),
        "active": _l("Offered to the public"),
        "updated_at": _l("Changed"),
    }
    column_searchable_list = ("code", "name_en")
    form = DefinitionForm

    def get_form(self):
        return DefinitionForm

    def on_form_prefill(self, form, id):
        service = self.get_one(id)
        form.definition_yaml.data = catalogue.to_yaml(service.definition)
        form.active.data = service.active

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if not form.definition_yaml.data:
            # Start from an existing definition: easier than a blank page.
            sample = ServiceType.objects(code="grievance").first()
            if sample is not None:
                form.definition_yaml.data = catalogue.to_yaml(
                    dict(sample.definition, code="new_service", number_prefix="NEW")
                )
        return form

    def _my_state(self):
        return access.scoped(State.objects, current_user).first()

    def create_model(self, form):
        state = self._my_state()
        if state is None or service_types.live(state, form.definition["code"]) is not None:
            flash(_("This code is already used in your state; edit that service instead."), "error")
            return False
        live = service_types.publish(state, form.definition, actor=current_user, source="admin")
        flash(_("Published as version %(version)d.", version=live.version), "success")
        return live

    def update_model(self, form, model):
        if form.definition["code"] != model.code:
            flash(_("The code of a service cannot change."), "error")
            return False
        live = service_types.publish(
            model.state, form.definition, actor=current_user, source="admin"
        )
        if live.active != bool(form.active.data):
            live.modify(set__active=bool(form.active.data))
        flash(_("Published as version %(version)d.", version=live.version), "success")
        return True
