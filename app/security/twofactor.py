"""Two-factor enforcement: roles listed in REQUIRE_TWO_FACTOR_ROLES must enrol in TOTP first.

Until they have, every page except the enrolment page, logout and static files sends them there.
"""

from flask import current_app, redirect, request, url_for
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


def init_twofactor(app):
    app.before_request(require_enrolment)
