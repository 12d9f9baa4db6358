"""API keys at the door: `X-API-Key` (or Open311's `api_key` parameter) authenticates as the
key's organisation, on /api/v1 and /open311 only, for that request alone (no session). Each use is
rate-limited per key (API_KEY_RATE_LIMIT, in Redis like the other limits) and audited; a key that
is unknown or revoked gets 403, never a fall-through to another way in. The key is never logged:
it travels in a header or a form body, and the access log cuts `api_key=` from query strings.
"""

from xml.etree import ElementTree as ET

from flask import Response, g, jsonify, request
from flask_babel import gettext as _
from limits import parse_many

from app.services import api_keys, audit

HEADER = "X-API-Key"
PATHS = ("/api/v1/", "/open311/")


def presented_key():
    """The key the request presents, if it is one of the paths keys work on."""
    if not request.path.startswith(PATHS):
        return None
    key = request.headers.get(HEADER)
    if key is None and request.path.startswith("/open311/"):
        key = request.form.get("api_key") if request.method == "POST" else None
    return key


def _refuse(status, message):
    """The refusal in the caller's dialect: Open311's list of {code, description} (JSON or
    XML), or the JSON API's error object."""
    if request.path.startswith("/open311/"):
        errors = [{"code": status, "description": str(message)}]
        if request.path.endswith(".xml"):
            root = ET.Element("errors")
            error = ET.SubElement(root, "error")
            ET.SubElement(error, "code").text = str(status)
            ET.SubElement(error, "description").text = str(message)
            response = Response(ET.tostring(root, encoding="utf-8"), mimetype="text/xml")
        else:
            response = jsonify(errors)
    else:
        response = jsonify({"status": status, "error": message})
    response.status_code = status
    return response


def init_api_keys(app, limiter):
    def authenticate_key():
        key = presented_key()
        if key is None:
            return None
        record = api_keys.authenticate(key)
        if record is None:
            audit.record("api_key_refused", path=request.path[:80])
            return _refuse(403, _("This API key is not valid, or it was revoked."))
        limits = parse_many(app.config["API_KEY_RATE_LIMIT"])
        if not all([limiter.limiter.hit(item, "api-key", str(record.id)) for item in limits]):
            return _refuse(429, _("Too many calls with this API key. Slow down and retry."))
        g.api_key = record
        g.csrf_valid = True  # a custom header (or the key in the body) is no cross-site form
        # This request only, no session: Flask-Login's per-request user (what its loaders set).
        g._login_user = record.owner
        return None

    # Early, before any hook asks who the user is (and would cache "nobody" for the request).
    app.before_request_funcs.setdefault(None, []).insert(1, authenticate_key)

    @app.after_request
    def audit_key_use(response):
        record = getattr(g, "api_key", None)
        if record is not None:
            audit.record(
                "api_key_used",
                actor=record.owner,
                target=record,
                state=record.state,
                method=request.method,
                endpoint=request.endpoint or "",
                status=response.status_code,
            )
        return response
