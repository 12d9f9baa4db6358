"""The one keyed digest: HMAC-SHA256 of a text under SECRET_KEY, hex.

What the database may keep in place of a secret or of personal data it must match but never
show: Aadhaar tokens and last-four search keys, desk claim codes, SMS codes, API keys. Each
caller prefixes its own purpose, so one digest never answers for another.
"""

import hashlib
import hmac

from flask import current_app


def keyed_digest(text):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
