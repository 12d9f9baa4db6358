"""Error pages in the portal's layout, and JSON errors for JSON clients."""

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from app.security.audit import record_refusal

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to open this page."),
    404: lambda: _("This page does not exist, or you may not see it."),
    405: lambda: _("This action is not allowed here."),
    429: lambda: _("Too many attempts. Please wait a minute and try again."),
    500: lambda: _("Something went wrong on our side. Please try again later."),
}


def _wants_json():
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _render(status, message):
    if _wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template("errors/error.html", status=status, message=message), status


def _handle(status, message):
    if status in (403, 404):
        record_refusal(status)
    return _render(status, message())


def init_errors(app):
    for status, message in MESSAGES.items():
        app.register_error_handler(status, lambda e, s=status, m=message: _handle(s, m))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, _("The form expired or was sent from another site. Please try again."))
