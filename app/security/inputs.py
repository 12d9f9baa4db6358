"""Bad input is a 400 that names what is wrong, never a 500: checks every request passes first.

- A JSON body must be an object (a bare number or string to /login crashed Flask-Security), no
  deeper than MAX_JSON_DEPTH (5,000 levels exhausted the parser's recursion), and free of lone
  surrogates ("\\ud800" cannot be stored or encoded).
- Query strings and form fields must be free of lone surrogates too, and of NUL (FerretDB
  refuses NUL in strings).
- A page number on an admin list must be a whole number from 0 (Flask-Admin skips negatives).
- When a server the request needs is down (Redis for the login limits), the answer is a clear
  503, failing closed: no login is let through unchecked.
"""

import json

from flask import current_app, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

MAX_JSON_DEPTH = 32


class BadInput(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def _depth_ok(text, limit=MAX_JSON_DEPTH):
    """Whether brackets nest no deeper than `limit` (strings skipped), without parsing."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


class SafeJSONProvider(DefaultJSONProvider):
    """Refuses documents nested beyond MAX_JSON_DEPTH before parsing (as ValueError, which
    Flask answers with 400), instead of recursing until Python gives up."""

    def loads(self, s, **kwargs):
        text = s.decode("utf-8", "replace") if isinstance(s, bytes | bytearray) else s
        if not _depth_ok(text):
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        try:
            return json.loads(text, **kwargs)
        except RecursionError as error:  # belt and braces
            raise ValueError("JSON nested too deeply") from error

    @staticmethod
    def default(o):
        # Translatable messages (Flask-Babel's LazyString, Babel's LazyProxy, which
        # Flask-Security puts in some JSON answers) are written as the text they stand for.
        if type(o).__name__ in ("LazyString", "LazyProxy"):
            return str(o)
        return DefaultJSONProvider.default(o)


def _bad_text(value):
    if "\x00" in value:
        return _("Text may not contain a NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("Text contains an invalid character (a lone surrogate).")
    return None


def posted_email(max_length=255, name="email"):
    """The `email` (or field `name`) a form or JSON body posts, stripped, or "" (absent, not
    text, or text no database can store: the after-request hooks see even a request this module
    refused)."""
    value = request.form.get(name)
    if value is None and request.is_json:
        body = request.get_json(silent=True)
        value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, str) or _bad_text(value):
        return ""
    return value.strip()[:max_length]


def _walk(value, path):
    """Raise BadInput for the first bad string (key or value) inside a parsed JSON value."""
    if isinstance(value, str):
        problem = _bad_text(value)
        if problem:
            raise BadInput(path or "body", problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = _bad_text(key)
            if problem:
                raise BadInput(path or "body", problem)
            _walk(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]")


def check_request():
    """Before any view: the shapes above, answered 400 with the field named."""
    try:
        for source in (request.args, request.form):
            for key, values in source.lists():
                for text in [key, *values]:
                    problem = _bad_text(text)
                    if problem:
                        raise BadInput(key if _bad_text(key) is None else "parameter", problem)
        if request.is_json and request.content_length != 0 and request.get_data(cache=True):
            body = request.get_json(silent=True)
            if body is None:
                raise BadInput("body", _("The body is not valid JSON (or nests too deeply)."))
            if not isinstance(body, dict):
                raise BadInput("body", _("The JSON body must be an object."))
            _walk(body, "")
        page = request.args.get("page")
        if page is not None and request.path.startswith("/admin/"):
            if not (page.isascii() and page.isdecimal()) or int(page) > 100_000:
                raise BadInput("page", _("A page number is a whole number from 0."))
    except BadInput as error:
        return _refuse(error.field, str(error))
    return None


def _refuse(field, message):
    if request.is_json or request.path.startswith("/api/"):
        return jsonify({"errors": {field: message}, "status": 400}), 400
    text = f"{field}: {message}"
    return render_template("errors/error.html", status=400, message=text), 400


def service_unavailable(error):
    """A server the request needs is down: a clear 503, and nothing let through."""
    current_app.logger.error("a backing service is unavailable: %s", type(error).__name__)
    message = _("A service this page needs is unavailable. Please try again in a few minutes.")
    if request.is_json or request.path.startswith("/api/"):
        return jsonify({"error": message, "status": 503}), 503
    return render_template("errors/error.html", status=503, message=message), 503


def init_inputs(app):
    from limits.errors import StorageError
    from redis.exceptions import RedisError

    app.json = SafeJSONProvider(app)
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
    for error in (RedisError, StorageError, ConnectionError):
        app.register_error_handler(error, service_unavailable)
