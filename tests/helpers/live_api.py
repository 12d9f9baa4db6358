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


def submit_grievance(base_url, headers):
    """A valid grievance at Sector 29 submitted through the API; returns its number."""
    return submit(base_url, headers, "grievance", station="HR-GGM-SEC29")


def submit(base_url, headers, code, station=None):
    """A valid request for service `code` submitted through the API; returns its number."""
    from pathlib import Path

    from app.services.catalogue import load_file
    from app.services.service_types import SERVICE_TYPES_DIR
    from tests.helpers.service_data import BY_MIME, valid_data

    def upload(mime):
        sent = requests.post(
            base_url + "/api/v1/uploads",
            headers=headers,
            files={"file": ("file", BY_MIME[mime], mime)},
            timeout=10,
        )
        assert sent.status_code == 201, sent.text
        return sent.json()["id"]

    definition = load_file(Path(SERVICE_TYPES_DIR, f"{code}.yaml"))
    body = {"service": code, "data": valid_data(definition, upload)}
    if station:
        body["station"] = station
    created = requests.post(base_url + "/api/v1/requests", headers=headers, json=body, timeout=10)
    assert created.status_code == 201, created.text
    return created.json()["number"]
