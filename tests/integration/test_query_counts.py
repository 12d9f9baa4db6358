"""Hot pages cost a fixed number of database commands, whatever the number of rows.

An in-process app on the live FerretDB, in a database of its own (the live stack's data is not
touched), with pymongo command monitoring: each hot page is read with 5 and then with 25 open
requests at the officer's station; the count of commands must not grow and must stay within
BUDGET. A query per row (a station, a state, an officer looked up for each line) fails it.
"""

import io
import os
import re

import pytest
from pymongo import monitoring

from app import create_app
from tests.helpers.service_data import BY_MIME, valid_data

BUDGET = 15


class Commands(monitoring.CommandListener):
    def __init__(self):
        self.names = []

    def started(self, event):
        self.names.append(f"{event.command_name}:{event.command.get(event.command_name)}")

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


@pytest.fixture(scope="module")
def counted(tmp_path_factory):
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        pytest.fail("MONGODB_URI is not set: run this tier through `make test`")
    listener = Commands()
    app = create_app(
        "development",
        {
            "MONGODB_URI": uri.rsplit("/", 1)[0] + "/police_portal_counts",
            "MONGODB_EVENT_LISTENERS": [listener],
            "RATELIMIT_STORAGE_URI": "memory://",
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
            "FERRETDB_POSTGRESQL_URL": None,
            "UPLOAD_DAILY_FILES": 10_000,
        },
    )
    with app.app_context():
        from app import db
        from app.cli import ensure_indexes
        from app.services import seed

        db.database().client.drop_database("police_portal_counts")
        ensure_indexes()
        seed.seed_all(include_demo_users=True)
    yield app, listener
    with app.app_context():
        from app import db

        db.database().client.drop_database("police_portal_counts")


def _add_requests(app, how_many):
    from app.models import User
    from app.services import requests, service_types, uploads

    with app.app_context():
        citizen = User.objects.get(email="citizen@demo.police.example")
        definition = service_types.live(citizen.state, "tenant_verification").definition

        def upload(mime):
            return uploads.store(io.BytesIO(BY_MIME[mime]), "f", citizen).file_id

        for _ in range(how_many):
            requests.submit(citizen, "tenant_verification", valid_data(definition, upload))


def _login(client, email, password):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def _cost(client, listener, path):
    assert client.get(path).status_code == 200, path  # warm the per-process caches
    listener.names.clear()
    assert client.get(path).status_code == 200, path
    return list(listener.names)


PAGES = ["/admin/queue/", "/admin/requests/", "/api/v1/requests?limit=20"]


def test_hot_pages_cost_the_same_for_5_and_25_rows(counted):
    app, listener = counted
    client = app.test_client()
    _add_requests(app, 5)
    _login(client, "officer.sector29@demo.police.example", "Officer#Demo2026")
    few = {path: _cost(client, listener, path) for path in PAGES}
    _add_requests(app, 20)
    many = {path: _cost(client, listener, path) for path in PAGES}
    for path in PAGES:
        assert len(many[path]) <= BUDGET, (path, many[path])
        assert len(many[path]) == len(few[path]), (path, few[path], many[path])


def test_the_public_status_is_a_few_commands(counted):
    app, listener = counted
    with app.app_context():
        from app.models import ServiceRequest

        number = ServiceRequest.objects.only("number").first().number
    commands = _cost(app.test_client(), listener, f"/api/v1/status/{number}")
    assert len(commands) <= 3, commands
