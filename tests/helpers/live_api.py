"""Logging demo accounts in to a live stack's JSON API (integration and browser tiers)."""

import requests

from app.services.seed import demo_accounts

DEMO = {row["email"].split("@")[0]: row for row in demo_accounts()}


def token_headers(base_url, who):
    """The Authentication-Token header of demo account `who` (its short name)."""
    account = DEMO[who]
    response = requests.post(
        base_url + "/login?include_auth_token",
        json={"email": account["email"], "password": account["password"]},
        timeout=10,
    )
    return {"Authentication-Token": response.json()["response"]["user"]["authentication_token"]}
