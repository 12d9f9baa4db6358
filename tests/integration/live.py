"""Helpers for the live-stack tiers: a form-filling HTTP client and a polling wait."""

import re
import time

import requests


class Browser:
    """A requests session that fills in CSRF tokens the way a browser form would."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()

    def url(self, path):
        return self.base_url + path

    def get(self, path, **kwargs):
        return self.session.get(self.url(path), allow_redirects=False, timeout=10, **kwargs)

    def csrf(self, path):
        page = self.get(path).text
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def post_form(self, path, data, token_from=None):
        data = dict(data, csrf_token=self.csrf(token_from or path))
        return self.session.post(self.url(path), data=data, allow_redirects=False, timeout=10)

    def login(self, email, password):
        return self.post_form("/login", {"email": email, "password": password})


def wait_for(predicate, timeout=30, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
