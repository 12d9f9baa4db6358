"""Taking a workflow action posted from an HTML form (portal or admin) and telling the user how
it went. The JSON API maps the same errors to status codes instead."""

from flask import flash
from flask_babel import gettext as _

from app.services import workflow


def apply_posted_transition(model, actor, form):
    """Apply the form's action, remark and version to `model`; flash the outcome."""
    try:
        workflow.apply_transition(
            model,
            form.get("action", "", type=str)[:40],
            actor,
            form.get("remark", "", type=str),
            expected_version=form.get("version", type=int),
        )
    except workflow.StaleState:
        flash(_("Someone else changed this request first. Reload it."), "error")
    except workflow.RemarkRequired:
        flash(_("A remark is required for this action."), "error")
    except workflow.WorkflowError:
        flash(_("This action is not allowed now."), "error")
    else:
        flash(_("Done."), "success")
