"""Gunicorn's access log without secrets: one-time tokens in URLs are replaced by "…".

Confirmation, password-reset and two-factor setup links carry a token in the path, and the next
request's Referer repeats it; whoever can read the log could otherwise use them.
Used through gunicorn.conf.py.
"""

import re

from gunicorn.glogging import Logger

TOKEN_IN_PATH = re.compile(r"(/(?:confirm|reset|tf-setup)/)[^/?\s\"]+")


def redact(text):
    return TOKEN_IN_PATH.sub(r"\1…", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
