"""Security headers on every response; the Content-Security-Policy allows no inline script.

Caching: nothing but static assets and what a view marks public (a published register photo)
may be stored by a browser or a proxy. Personal pages, the admin, the API and PDFs answer
`Cache-Control: no-store, private`, so a shared computer's back button or a proxy's cache does
not show the next person someone else's request. (Flask-Security's own header for the account
pages is switched off: it wrote "private=True, no-store=True", which caches ignore.)
"""

from flask import request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def forbid_caching(response):
    if request.endpoint == "static" or (request.endpoint or "").endswith(".static"):
        return response
    if response.cache_control.public:
        return response
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["Pragma"] = "no-cache"
    return response


def add_hsts(response):
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_headers(app):
    app.after_request(add_security_headers)
    app.after_request(forbid_caching)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.after_request(add_hsts)
