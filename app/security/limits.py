"""Rate limits on the account endpoints (login, two-factor, registration, reset, confirmation).

Counters live in Redis (memory in unit tests) so every gunicorn worker shares them. Over the
limit the client gets 429. One Limiter per app: Flask-Limiter keeps its storage on the object.
"""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Flask-Security endpoint → config key holding its limit.
LIMITED_ENDPOINTS = {
    "security.login": "LOGIN_RATE_LIMIT",
    "security.two_factor_token_validation": "LOGIN_RATE_LIMIT",
    "security.two_factor_setup_validate": "LOGIN_RATE_LIMIT",
    "security.two_factor_rescue": "ACCOUNT_FORM_RATE_LIMIT",
    "security.reset_password": "ACCOUNT_FORM_RATE_LIMIT",
    "security.register": "ACCOUNT_FORM_RATE_LIMIT",
    "security.forgot_password": "ACCOUNT_FORM_RATE_LIMIT",
    "security.send_confirmation": "ACCOUNT_FORM_RATE_LIMIT",
}


def _limit_from_config(key):
    return lambda: current_app.config[key]


def init_limits(app):
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    limiter = Limiter(key_func=get_remote_address, default_limits=[], app=app)
    for endpoint, key in LIMITED_ENDPOINTS.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            app.view_functions[endpoint] = limiter.limit(
                _limit_from_config(key), methods=["POST"], scope=endpoint
            )(view)
    return limiter
