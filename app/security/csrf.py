"""CSRF on every state-changing request, in one place.

Form posts (portal, account pages, admin) must carry the token. Exempt: requests with the
Authentication-Token or X-API-Key header, or a JSON body (a cross-site page can send neither
without a CORS preflight, which this app never grants), and Open311, which acts on its api_key
field alone and never on a cookie (so a forged post has nothing to borrow).
"""

from flask import current_app, g, request

from app.extensions import csrf

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _exempt(req):
    header = current_app.config["SECURITY_TOKEN_AUTHENTICATION_HEADER"]
    if req.headers.get(header) or req.headers.get("X-API-Key"):
        return True
    if req.path.startswith("/open311/"):
        return True  # Open311 acts only on its api_key field, never on a session cookie
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
