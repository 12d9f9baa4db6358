"""The JSON API's common parts: the blueprint, its errors and authentication.

Authentication: Flask-Security's token (header Authentication-Token, from POST /login with
include_auth_token) or the session cookie. Lists page with a cursor, never a deep skip.
"""

from functools import wraps

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_PAGE = 100


class ApiError(Exception):
    def __init__(self, status, errors=None, message=None):
        super().__init__(message)
        self.status = status
        self.errors = errors
        self.message = message


@bp.errorhandler(ApiError)
def _api_error(error):
    body = {"status": error.status}
    if error.errors:
        body["errors"] = {key: str(value) for key, value in error.errors.items()}
    if error.message:
        body["error"] = str(error.message)
    return jsonify(body), error.status


@bp.errorhandler(404)
def _not_found(_error):
    return jsonify({"status": 404, "error": _("Not found.")}), 404


# What each view says of itself for the OpenAPI document (views.api.openapi), by function name.
API_DOCS: dict[str, dict] = {}


def api_doc(summary, *, tag, auth="none", query=None, body=None, responses=None, errors=()):
    """Declare a view's contract next to it: `auth` is "none", "user" (session, token or API
    key) or "optional"; `query` maps a parameter to (JSON schema, description, required);
    `body` and each of `responses` ({status: schema}) name a component schema (or None for an
    empty body); `errors` are the statuses that answer with the Error schema."""

    def decorate(view):
        API_DOCS[view.__name__] = {
            "summary": summary,
            "description": (view.__doc__ or "").strip(),
            "tag": tag,
            "auth": auth,
            "query": query or {},
            "body": body,
            "responses": responses or {200: None},
            "errors": tuple(errors),
        }
        return view

    return decorate


def login_required(view):
    """401 as JSON (never a redirect) when neither a token nor a session authenticates."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            raise ApiError(401, message=_("Log in, or send an Authentication-Token header."))
        return view(*args, **kwargs)

    return wrapped


def json_body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, {"body": _("Send a JSON object.")})
    return body


def _iso(value):
    return value.isoformat() if value else None
