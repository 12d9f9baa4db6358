"""Rate limits on the account endpoints (login, registration, password reset, confirmation).

Counters live in Redis (memory in unit tests) so every gunicorn worker shares them. Over the
limit the client gets 429.
"""

from app.extensions import limiter

# Flask-Security endpoint → config key holding its limit.
LIMITED_ENDPOINTS = {
    "security.login": "LOGIN_RATE_LIMIT",
    "security.two_factor_token_validation": "LOGIN_RATE_LIMIT",
    "security.register": "ACCOUNT_FORM_RATE_LIMIT",
    "security.forgot_password": "ACCOUNT_FORM_RATE_LIMIT",
    "security.send_confirmation": "ACCOUNT_FORM_RATE_LIMIT",
}


def init_limits(app):
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    limiter.init_app(app)
    for endpoint, key in LIMITED_ENDPOINTS.items():
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        limit = app.config[key]
        app.view_functions[endpoint] = limiter.limit(
            lambda limit=limit: limit, methods=["POST"], scope=endpoint
        )(view)
