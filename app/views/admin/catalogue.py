"""The service catalogue in the admin: a state administrator edits or adds a service definition.

The definition is edited as YAML, validated on save by services.catalogue (errors name the field)
and published by services.service_types as a new version: live at once, no restart, and requests
already made keep the version they were made under.
"""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_admin import expose
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from app.i18n import current_language
from app.models import ServiceType, State
from app.services import (
    access,
    catalogue,
    catalogue_diff,
    field_builder,
    service_copies,
    service_types,
    time_limits,
    workflow_builder,
    workflow_diagram,
)

from .base import AdminForm, ScopedModelView


def _bad_draft():
    """A builder page posted with its draft changed or cut off: said, and nothing kept."""
    message = _(
        "The page's draft (its hidden “draft” field) was changed or cut off, so nothing was "
        "kept. Open the page again from the service catalogue."
    )
    return render_template("errors/error.html", status=400, message=message), 400


class DefinitionForm(AdminForm):
    definition_yaml = TextAreaField(
        _l("Definition (YAML)"),
        render_kw={"rows": 30, "spellcheck": "false", "class": "form-control text-monospace"},
        description=_l(
            "Fields, workflow, time limits and texts in English and Hindi. Checked when you save."
        ),
    )
    active = BooleanField(_l("Offered to the public"), default=True)
    reason = StringField(
        _l("What changed, and why"),
        validators=[Length(max=500)],
        render_kw={"required": True},
        description=_l("Kept with the version, for whoever reads the history."),
    )

    def validate_reason(self, field):
        # A plain string, not a lazy one: Flask-Admin's template shows only `string` errors.
        if not (field.data or "").strip():
            raise ValidationError(_("Say what changed and why: it is kept with the version."))

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
    column_formatters = {
        # Markup.format escapes what it is given.
        "version": lambda view, context, model, name: Markup(
            '<a href="{}">{}</a><br><a href="{}">{}</a><br><a href="{}">{}</a>'
            '<br><a href="{}">{}</a><br><a href="{}">{}</a><br><a href="{}">{}</a>'
        ).format(
            url_for(".versions", id=str(model.id)),
            _("Version %(version)d: history", version=model.version),
            url_for(".limits", id=str(model.id)),
            _("Time limits"),
            url_for(".fields", id=str(model.id)),
            _("Fields"),
            url_for(".workflow", id=str(model.id)),
            _("Workflow"),
            url_for(".copy", source=model.code),
            _("Copy as a new service"),
            url_for(".export", id=str(model.id)),
            _("Download as YAML"),
        )
    }

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
        code = form.definition["code"]
        # Any service of the state, offered or withdrawn: publishing would make a new version of
        # a withdrawn one.
        if state is None or ServiceType.objects(state=state, code=code).first() is not None:
            flash(_("This code is already used in your state; edit that service instead."), "error")
            return False
        live = service_types.publish(
            state, form.definition, actor=current_user, source="admin", reason=form.reason.data
        )
        flash(_("Published as version %(version)d.", version=live.version), "success")
        return live

    def update_model(self, form, model):
        if form.definition["code"] != model.code:
            flash(_("The code of a service cannot change."), "error")
            return False
        live = service_types.publish(
            model.state,
            form.definition,
            actor=current_user,
            source="admin",
            reason=form.reason.data,
        )
        if live.active != bool(form.active.data):
            live.modify(set__active=bool(form.active.data))
        flash(_("Published as version %(version)d.", version=live.version), "success")
        return True

    def _service(self, id):
        service = self.get_one(id) if id else None
        if (
            service is None
            or not access.scoped(ServiceType.objects, current_user).filter(id=service.id).first()
        ):
            abort(404)
        return service

    @expose("/versions/")
    def versions(self):
        """Every version with who, when and why; two compared in words; a rollback."""
        service = self._service(request.args.get("id", "", type=str))
        history = service_types.versions(service.state, service.code)
        numbers = [v.version for v in history]
        newest = numbers[0] if numbers else 0
        after = request.args.get("to", newest, type=int)
        before = request.args.get("from", after - 1, type=int)
        by_number = {v.version: v for v in history}
        compared = None
        if before in by_number and after in by_number and before != after:
            compared = catalogue_diff.changes(
                by_number[before].definition, by_number[after].definition, current_language()
            )
        return self.render(
            "admin/catalogue_versions.html",
            service=service,
            history=history,
            numbers=numbers,
            before=before,
            after=after,
            compared=compared,
        )

    @expose("/versions/rollback", methods=["POST"])
    def rollback(self):
        if not self.can_edit:
            abort(403)
        service = self._service(request.form.get("id", "", type=str))
        version = request.form.get("version", 0, type=int)
        reason = request.form.get("reason", "", type=str)
        if not reason.strip():
            flash(_("Say why you roll back: it is kept with the version."), "error")
            return redirect(url_for(".versions", id=str(service.id)))
        try:
            live = service_types.rollback(
                service.state, service.code, version, current_user, reason
            )
        except service_types.ServiceTypeError:
            abort(404)
        flash(
            _(
                "Version %(old)d published again as version %(new)d.",
                old=version,
                new=live.version,
            ),
            "success",
        )
        # The page then compares the version that was live with the one just published.
        return redirect(
            url_for(".versions", id=str(service.id), to=live.version, **{"from": live.version - 1})
        )

    @expose("/limits/", methods=["GET", "POST"])
    def limits(self):
        """The time limit, the warning and the escalation tiers as a form, not YAML: checked
        field by field (each error names its field), previewed as a change in words, and
        published as a new version with a reason."""
        if not self.can_edit:
            abort(403)
        service = self._service(request.values.get("id", "", type=str))
        live = service.definition
        values = time_limits.form_values(live) if request.method == "GET" else request.form
        errors, changed, definition = {}, None, None
        if request.method == "POST":
            definition, errors = time_limits.apply(live, request.form)
            if not errors:
                changed = catalogue_diff.changes(live, definition, current_language())
                if request.form.get("action") == "publish":
                    reason = request.form.get("reason", "", type=str).strip()
                    if not changed:
                        errors["form"] = _("Nothing changed.")
                    elif not reason:
                        errors["reason"] = _(
                            "Say what changed and why: it is kept with the version."
                        )
                    else:
                        published = service_types.publish(
                            service.state, definition, actor=current_user, source="admin",
                            reason=reason,
                        )  # fmt: skip
                        flash(_("Published as version %(version)d.", version=published.version),
                              "success")  # fmt: skip
                        return redirect(url_for(".versions", id=str(service.id)))
        page = self.render(
            "admin/catalogue_limits.html",
            service=service,
            values=values,
            tiers=live.get("sla", {}).get("escalation", []),
            units=time_limits.units_for(live),
            roles=time_limits.ROLES,
            tier_titles=time_limits.TIERS,
            errors=errors,
            changed=changed,
        )
        return page, 400 if errors else 200

    @expose("/fields/", methods=["GET", "POST"])
    def fields(self):
        """The form's fields as a table: add, remove, move, required or optional, on a draft the
        page carries until it is published with a reason (services.field_builder)."""
        if not self.can_edit:
            abort(403)
        service = self._service(request.values.get("id", "", type=str))
        live = service.definition
        step = self._report_step(live, request.values.get("step", "", type=str))
        draft, errors, form = field_builder.draft_of(live, step), {}, request.form
        # One language at a time: the citizen's form in both at once would repeat its ids.
        preview_language = current_language()
        if request.method == "POST":
            try:
                draft = field_builder.parse(request.form.get("draft", ""))
            except field_builder.DraftError:
                return _bad_draft()
            action = request.form.get("action", "", type=str)
            if action in ("preview:en", "preview:hi"):
                preview_language = action.partition(":")[2]
            if action == "publish":
                errors = self._publish(service, field_builder.definition_with(live, draft, step))
                if errors is None:
                    return redirect(url_for(".versions", id=str(service.id)))
            elif (
                action.startswith("edit:") and action[5:].isdigit() and int(action[5:]) < len(draft)
            ):
                form = field_builder.form_for(draft, int(action[5:]))
            elif action == "cancel":
                form = {}
            else:
                draft, errors = field_builder.apply(draft, action, request.form)
                if not errors and action == "add":
                    form = {}  # the field is in the table: an empty form for the next
        definition = field_builder.definition_with(live, draft, step)
        problems = catalogue.validate(definition) if definition != live else []
        editing = str(form.get("editing", ""))
        position = int(editing) if editing.isdigit() else len(draft)
        page = self.render(
            "admin/catalogue_fields.html",
            service=service,
            step=step,
            step_label=workflow_builder.text_of(
                live["workflow"]["transitions"][step].get("label"), current_language()
            )
            if step is not None
            else None,
            draft=draft,
            draft_json=field_builder.to_json(draft),
            types=field_builder.types(),
            accept=field_builder.ACCEPT_CHOICES,
            conditions=field_builder.conditions(draft, position, current_language()),
            condition_words=field_builder.condition_words(draft, current_language()),
            form=form,
            errors=errors,
            problems=problems,
            changed=catalogue_diff.changes(live, definition, current_language()),
            preview=self._preview(draft, preview_language),
            preview_language=preview_language,
        )
        return page, 400 if errors else 200

    @staticmethod
    def _report_step(definition, value):
        """The index of the step whose report form the fields page edits (None: the citizen's
        form); a step that cannot have one is a 404, as a service of another state is."""
        if value == "":
            return None
        steps = (definition.get("workflow") or {}).get("transitions") or []
        if not value.isdigit() or int(value) >= len(steps):
            abort(404)
        if not workflow_builder.reportable(steps[int(value)]):
            abort(404)
        return int(value)

    def _publish(self, service, definition):
        """None when `definition` was published, else the errors to show."""
        reason = request.form.get("reason", "", type=str).strip()
        if definition == service.definition:
            return {"form": _("Nothing changed.")}
        if catalogue.validate(definition):
            return {"form": _("The draft has problems (listed below); nothing was published.")}
        if not reason:
            return {"reason": _("Say what changed and why: it is kept with the version.")}
        published = service_types.publish(
            service.state, definition, actor=current_user, source="admin", reason=reason
        )
        flash(_("Published as version %(version)d.", version=published.version), "success")
        return None

    @expose("/export/")
    def export(self):
        """The live definition as a YAML file: what the "advanced" editor shows, to keep or to
        send to another state, whose administrator pastes it into a new service."""
        service = self._service(request.args.get("id", "", type=str))
        return Response(
            catalogue.to_yaml(service.definition),
            mimetype="application/yaml",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="{service.code}-v{service.version}.yaml"'
                )
            },
        )

    @expose("/copy/", methods=["GET", "POST"])
    def copy(self):
        """A new service from a copy of one of the state's services, checked field by field and
        created withdrawn from the public, to be changed in the builder before it is offered."""
        if not self.can_create:
            abort(403)
        state = self._my_state()
        if state is None:
            abort(404)
        form, errors = request.values, {}
        if request.method == "POST":
            definition, errors = service_copies.start_from(state, request.form)
            if not errors:
                created = service_copies.create(
                    state, definition, current_user, request.form["source"]
                )
                flash(
                    _(
                        "“%(name)s” created from the copy. It is not offered to the public yet: "
                        "change its fields, workflow and time limits, then offer it.",
                        name=created.name_en,
                    ),
                    "success",
                )
                return redirect(url_for(".fields", id=str(created.id)))
        services = ServiceType.objects(state=state).only("code", "name_en", "name_hi")
        page = self.render(
            "admin/catalogue_copy.html", services=services.order_by("name_en"), form=form,
            errors=errors,
        )  # fmt: skip
        return page, 400 if errors else 200

    @expose("/workflow/", methods=["GET", "POST"])
    def workflow(self):
        """States and steps in forms, on a draft the page carries until it is published with a
        reason (services.workflow_builder), drawn as a diagram that shows each change."""
        if not self.can_edit:
            abort(403)
        service = self._service(request.values.get("id", "", type=str))
        live = service.definition
        draft, errors, form = workflow_builder.draft_of(live), {}, request.form
        if request.method == "POST":
            try:
                draft = workflow_builder.parse(request.form.get("draft", ""))
            except field_builder.DraftError:
                return _bad_draft()
            action = request.form.get("action", "", type=str)
            verb, _sep, where = action.partition(":")
            if action == "publish":
                errors = self._publish(service, workflow_builder.definition_with(live, draft))
                if errors is None:
                    return redirect(url_for(".versions", id=str(service.id)))
            elif verb == "edit_state" and where in draft["states"]:
                form = workflow_builder.state_form(draft, where)
            elif verb == "edit_step" and where.isdigit() and int(where) < len(draft["transitions"]):
                form = workflow_builder.step_form(draft, int(where))
            elif action == "cancel":
                form = {}
            else:
                draft, errors = workflow_builder.apply(draft, action, request.form)
                if not errors and verb in ("state", "step"):
                    form = {}  # saved in the draft: empty forms for the next
        definition = workflow_builder.definition_with(live, draft)
        language = current_language()
        faults = workflow_builder.flags(draft)
        page = self.render(
            "admin/catalogue_workflow.html",
            service=service,
            draft=draft,
            draft_json=field_builder.to_json(draft),
            form=form,
            errors=errors,
            faults=faults,
            problems=catalogue.validate(definition) if definition != live else [],
            changed=catalogue_diff.changes(live, definition, language),
            diagram=workflow_diagram.layout(draft, language, faults),
            roles=workflow_builder.ROLES,
            documents=workflow_builder.documents(),
            text_of=workflow_builder.text_of,
            sources_of=catalogue.sources_of,
            reportable=workflow_builder.reportable,
            unchanged=definition == live,
            taken_by=workflow_builder.TAKEN_BY,
        )
        return page, 400 if errors else 200

    def _preview(self, draft, language):
        """The citizen's form as it will look, in `language` (the portal's own field macro)."""
        with force_locale(language):
            html = render_template(
                "admin/_fields_preview.html", fields=draft, current_language=language
            )
        return Markup(html)  # noqa: S704 — a rendered (autoescaped) template
