"""Two-factor enforcement: roles listed in REQUIRE_TWO_FACTOR_ROLES must enrol in TOTP first.

Until they have, every page except the enrolment page, logout and static files sends them there.
Also: /tf-validate, opened by a signed-in user with nothing to validate, changes nothing
(Flask-Security logs them out, so any other site could log a user out with an image tag).
"""

from functools import wraps

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user

ALLOWED_ENDPOINTS = frozenset(
    {
        "security.two_factor_setup",
        "security.two_factor_setup_validate",
        "security.two_factor_token_validation",
        "security.two_factor_rescue",
        "security.static",
        "security.logout",
        "static",
        "health.healthz",
        "metrics.scrape",
        "metrics.readyz",
        "portal.set_language",
    }
)


def needs_enrolment(user, required_roles):
    if not required_roles or not getattr(user, "is_authenticated", False):
        return False
    if user.tf_primary_method:
        return False
    return any(user.has_role(role) for role in required_roles)


def require_enrolment():
    required = current_app.config.get("REQUIRE_TWO_FACTOR_ROLES") or []
    if request.endpoint in ALLOWED_ENDPOINTS or not needs_enrolment(current_user, required):
        return None
    return redirect(url_for("security.two_factor_setup"))


def _nothing_to_validate():
    return current_user.is_authenticated and not (
        session.get("tf_state") == "validating_profile"
        and session.get("tf_primary_method")
        and session.get("tf_totp_secret")
    )


def _without_forced_logout(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        if _nothing_to_validate():
            if request.is_json:
                return jsonify({"error": "no two-factor code is awaited", "status": 400}), 400
            return redirect(url_for("portal.dashboard"))
        return view(*args, **kwargs)

    return guarded


def init_twofactor(app):
    app.before_request(require_enrolment)
    endpoint = "security.two_factor_token_validation"
    if endpoint in app.view_functions:
        app.view_functions[endpoint] = _without_forced_logout(app.view_functions[endpoint])
