"""One public address for every absolute link, and no request served for an unknown Host.

A link the system writes (password reset and confirmation mails, SMS, QR codes in PDFs, verify
links, digests, escalation mails) must not follow the request's Host header: an attacker who sends
`POST /reset` with `Host: evil.example` would otherwise have a genuine token mailed inside a link
to their own site. So absolute URLs are built from PUBLIC_BASE_URL alone (PortalFlask.url_for),
also outside a request (Celery tasks), and a request whose Host is not one of ALLOWED_HOSTS is
answered 400 before any other hook or view runs.
"""

from urllib.parse import urlsplit

from flask import Flask, Response, has_request_context, request
from werkzeug.exceptions import SecurityError


def allowed_hosts(config):
    """The host names this instance answers to: ALLOWED_HOSTS and PUBLIC_BASE_URL's host."""
    configured = [h.strip().lower() for h in (config.get("ALLOWED_HOSTS") or "").split(",")]
    hosts = [h for h in configured if h]
    public = urlsplit(config.get("PUBLIC_BASE_URL") or "").hostname
    if public and public not in hosts:
        hosts.append(public)
    return hosts


class PortalFlask(Flask):
    """Flask whose absolute URLs always start with PUBLIC_BASE_URL."""

    def create_url_adapter(self, request):
        base = self.config.get("PUBLIC_BASE_URL")
        if request is None and base:
            # Outside a request (tasks, CLI): build against the public address, as SERVER_NAME
            # would, without SERVER_NAME's effect on cookies.
            parts = urlsplit(base)
            return self.url_map.bind(
                parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
            )
        return super().create_url_adapter(request)

    def url_for(
        self, endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values
    ):
        base = (self.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
        if not (base and _external and has_request_context()):
            return super().url_for(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        path = super().url_for(
            endpoint, _anchor=_anchor, _method=_method, _external=False, **values
        )
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root) :]
        return base + path


def refuse_unknown_host():
    """400 for a Host outside ALLOWED_HOSTS; plain text, since no URL can be built for it."""
    try:
        request.host  # noqa: B018 — Flask checks TRUSTED_HOSTS when the host is read
    except SecurityError:
        return Response("Bad Request: unknown host\n", 400, mimetype="text/plain")
    return None


def init_hosts(app):
    app.config["TRUSTED_HOSTS"] = allowed_hosts(app.config) or None
    # First of all before-request hooks: nothing may run for a forged Host.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unknown_host)
