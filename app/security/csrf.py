"""CSRF on every state-changing request, in one place.

Form posts (portal, account pages, admin) must carry the token. Requests that authenticate with
the Authentication-Token header, or send a JSON body, are exempt: a cross-site page can send
neither without a CORS preflight, which this app never grants.
"""

from flask import current_app, g, request

from app.extensions import csrf

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _exempt(req):
    header = current_app.config["SECURITY_TOKEN_AUTHENTICATION_HEADER"]
    if req.headers.get(header):
        return True
    return req.mimetype == "application/json"


def csrf_guard():
    if request.method not in UNSAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED"):
        return None
    if _exempt(request):
        # Tells Flask-Security's views and Flask-WTF's forms that CSRF has been dealt with.
        g.csrf_valid = True
        return None
    csrf.protect()  # raises CSRFError (400) without a valid token
    return None


def init_csrf(app):
    csrf.init_app(app)
    app.before_request(csrf_guard)
