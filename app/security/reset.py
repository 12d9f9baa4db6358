"""/reset answers in the same time whether or not an account exists.

Flask-Security looks the account up and renders and queues the mail inside the request, and for
an unknown address hashes a dummy password instead: two different amounts of work, which a
stopwatch can tell apart. Here the request only checks the form and queues one task for every
well-formed address (tasks.accounts.send_password_reset does the lookup and the mail), then
answers with Flask-Security's own generic message.
"""

from flask import jsonify, redirect, request, url_for
from flask_security.utils import do_flash, get_message
from kombu.exceptions import OperationalError

from app.i18n import current_language

from .inputs import posted_email, service_unavailable


def _forgot_password(original):
    def view():
        if request.method != "POST":
            return original()
        email = posted_email()
        if "@" not in email:
            return original()  # Flask-Security's form says what is wrong with the address
        from app.tasks.accounts import send_password_reset

        try:
            send_password_reset.delay(email, current_language())
        except OperationalError as error:
            return service_unavailable(error)
        if request.is_json:
            return jsonify({"meta": {"code": 200}, "response": {}})
        do_flash(*get_message("PASSWORD_RESET_REQUEST", email=email))
        return redirect(url_for("security.forgot_password"))

    view.__name__ = original.__name__
    view.__doc__ = original.__doc__
    return view


def init_reset(app):
    endpoint = "security.forgot_password"
    app.view_functions[endpoint] = _forgot_password(app.view_functions[endpoint])
