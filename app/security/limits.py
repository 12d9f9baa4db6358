"""Rate limits on the account endpoints (login, two-factor, registration, reset, confirmation).

Counters live in Redis (memory in unit tests) so every gunicorn worker shares them. Over the
limit the client gets 429. One Limiter per app: Flask-Limiter keeps its storage on the object.

Per address the limits are generous (a cyber café or a carrier-grade NAT puts many people behind
one address); per account, services.login_guard slows down guessing from many addresses.
"""

from flask import current_app, jsonify, render_template, request, session
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user, user_logged_in
from flask_security import signals as fs_signals

from app.models import User
from app.models.accounts import INDIA_PREFIX
from app.services import audit, login_guard
from app.services.field_types import mobile_number

from .inputs import posted_email

# Flask-Security endpoint → config key holding its limit.
LIMITED_ENDPOINTS = {
    "security.login": "LOGIN_RATE_LIMIT",
    "security.us_signin": "LOGIN_RATE_LIMIT",
    "security.us_signin_send_code": "LOGIN_RATE_LIMIT",
    "security.us_verify": "LOGIN_RATE_LIMIT",
    "security.two_factor_token_validation": "LOGIN_RATE_LIMIT",
    "security.two_factor_setup_validate": "LOGIN_RATE_LIMIT",
    "security.two_factor_rescue": "ACCOUNT_FORM_RATE_LIMIT",
    "security.reset_password": "ACCOUNT_FORM_RATE_LIMIT",
    "security.register": "ACCOUNT_FORM_RATE_LIMIT",
    "security.forgot_password": "ACCOUNT_FORM_RATE_LIMIT",
    "security.send_confirmation": "ACCOUNT_FORM_RATE_LIMIT",
}


# Public status searches (GET): request numbers are sequential, so an address may not walk them.
LIMITED_SEARCHES = {
    "tracking.track": "PUBLIC_STATUS_RATE_LIMIT",
    "api.public_status": "PUBLIC_STATUS_RATE_LIMIT",
    "api.fir_status": "PUBLIC_STATUS_RATE_LIMIT",
}


def _limit_from_config(key):
    return lambda: current_app.config[key]


SIGN_IN_ENDPOINTS = ("security.login", "security.us_signin")


def _is_login_post():
    return request.endpoint in SIGN_IN_ENDPOINTS and request.method == "POST"


def posted_account_name():
    """The account name a sign-in posts: the email, or a mobile in E.164 (typed any way)."""
    if request.endpoint != "security.us_signin":
        return posted_email()
    identity = posted_email(name="identity")
    mobile = mobile_number(identity)
    return INDIA_PREFIX + mobile if mobile else identity


def _account_of(name):
    if name.startswith(INDIA_PREFIX):
        return User.objects(us_phone_number=name).only("id", "state").first()
    return User.with_email(name).only("id", "state").first()


def account_lock_gate():
    """429 for a login to an account name locked by repeated failures, before any check."""
    if not _is_login_post():
        return None
    email = posted_account_name()
    seconds = login_guard.locked_for(email) if email else 0
    if not seconds:
        return None
    minutes = max(1, (seconds + 59) // 60)
    message = _(
        "Too many failed logins to this account. Try again in %(minutes)d minutes, or reset "
        "your password.",
        minutes=minutes,
    )
    if request.is_json:
        response = jsonify({"error": message, "status": 429})
    else:
        response = current_app.make_response(
            render_template("errors/error.html", status=429, message=message)
        )
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def count_login_outcome(response):
    """A login POST that left nobody signed in (and awaits no second factor) is a failure."""
    if (
        _is_login_post()
        and response.status_code in (200, 400)
        and not current_user.is_authenticated
        and session.get("tf_state") != "ready"
    ):
        email = posted_account_name()
        if email:
            login_guard.failed(email)
        # The account tried, by id (the typed email or mobile is personal data, not kept).
        user = _account_of(email) if email else None
        audit.record(
            "login_failed",
            target=user,
            state=user.state if user else None,
            status=response.status_code,
            account="known" if user else "unknown",
        )
    return response


def _succeeded(app, user, **_):
    for name in (user.email, user.us_phone_number):
        if name:
            login_guard.cleared(name)


def init_limits(app):
    app.before_request(account_lock_gate)
    app.after_request(count_login_outcome)
    user_logged_in.connect(_succeeded, app)
    fs_signals.password_reset.connect(_succeeded, app)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    limiter = Limiter(key_func=get_remote_address, default_limits=[], app=app)
    _wrap(app, limiter, LIMITED_ENDPOINTS, ["POST"])
    app.extensions["portal_limiter"] = limiter
    return limiter


def _wrap(app, limiter, limited, methods):
    for endpoint, key in limited.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            raise RuntimeError(f"rate limit for {endpoint}, which does not exist")
        app.view_functions[endpoint] = limiter.limit(
            _limit_from_config(key), methods=methods, scope=endpoint
        )(view)


def limit_public_searches(app):
    """After the blueprints are registered: the public status searches' per-address limits."""
    _wrap(app, app.extensions["portal_limiter"], LIMITED_SEARCHES, ["GET"])
