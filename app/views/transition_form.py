"""Taking a workflow action posted from an HTML form (portal or admin) and telling the user how
it went. The JSON API maps the same errors to status codes instead."""

from flask import flash
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.i18n import current_language
from app.services import catalogue, service_types, uploads, workflow
from app.services.field_types import TYPES


def _report_specs(model, action):
    """The report fields of the step `action` from the request's current state ([] if none)."""
    definition = service_types.definition_of(model)
    for transition in catalogue.transitions_from(definition, model.status):
        if transition["action"] == action:
            return transition.get("report") or []
    return []


def posted_report(specs, form, files, actor):
    """The structured report a step asks for (`specs`), read from the form's report_<field>
    inputs (the photos stored as the officer's uploads), or None when the step asks for none;
    and the errors of files that could not be stored."""
    if not specs:
        return None, {}
    prefix, report, errors = workflow.REPORT_PREFIX, {}, {}
    fields = MultiDict(
        [(k.removeprefix(prefix), v) for k, v in form.items(multi=True) if k.startswith(prefix)]
    )
    for spec in specs:
        name = spec["name"]
        if spec["type"] == "file":
            file = files.get(prefix + name)
            if file is not None and file.filename:
                try:
                    report[name] = uploads.store(file.stream, file.filename, actor).file_id
                except uploads.UploadError as error:
                    errors[prefix + name] = uploads.refusal(error)
            continue
        value = TYPES[spec["type"]].from_form(fields, name)
        if value not in (None, "", []):
            report[name] = value
    return report, errors


def apply_posted_transition(model, actor, form, files=None):
    """Apply the form's action, remark, version and report to `model`; flash the outcome."""
    action = form.get("action", "", type=str)[:40]
    specs = _report_specs(model, action)
    report, file_errors = posted_report(specs, form, files or {}, actor)
    if file_errors:
        for message in file_errors.values():
            flash(str(message), "error")
        return
    try:
        workflow.apply_transition(
            model,
            action,
            actor,
            form.get("remark", "", type=str),
            expected_version=form.get("version", type=int),
            report=report,
        )
    except workflow.ReportInvalid as error:
        labels = _report_labels(specs)
        for name, message in error.errors.items():
            flash(f"{labels.get(name, name)}: {message}", "error")
    except workflow.StaleState:
        flash(_("Someone else changed this request first. Reload it."), "error")
    except workflow.RemarkRequired:
        flash(_("A remark is required for this action."), "error")
    except workflow.FeeUnpaid:
        flash(_("This step waits for the fee: record its payment first."), "error")
    except workflow.WorkflowError:
        flash(_("This action is not allowed now."), "error")
    else:
        flash(_("Done."), "success")


def _report_labels(specs):
    """{report_<field>: its label in the current language} of the step's report."""
    language = current_language()
    return {
        workflow.REPORT_PREFIX + spec["name"]: spec["label"].get(language) or spec["label"]["en"]
        for spec in specs
    }
