"""Gunicorn's access log without secrets: one-time tokens in URLs are replaced by "…".

Confirmation, password-reset and two-factor setup links carry a token in the path, and the next
request's Referer repeats it; whoever can read the log could otherwise use them. API tokens in a
query string (refused by the app, but logged all the same) are cut out too.
Used through gunicorn.conf.py.
"""

import re

from gunicorn.glogging import Logger

TOKEN_IN_PATH = re.compile(r"(/(?:confirm|reset|tf-setup|account/email/confirm)/)[^/?\s\"]+")
# An API token sent in the query string is refused (400), but the refused request is still
# logged: its token must not be.
# An API key in a query string (Open311 clients put `api_key` there) is cut the same way.
TOKEN_IN_QUERY = re.compile(r"((?:[?&;]|%3F|%26)(?:auth_token|api_key)=)[^&;\s\"]*", re.IGNORECASE)


def redact(text):
    return TOKEN_IN_QUERY.sub(r"\1…", TOKEN_IN_PATH.sub(r"\1…", text))


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
