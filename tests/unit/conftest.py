"""Unit tier: one fresh app and database per test, Celery eager.

On mongomock by default; `--db=ferretdb` runs the tests marked `db` (those whose subject is how
the database behaves: queries, indexes, concurrency, stored formats; a whole module when all of
its tests are) on the real FerretDB server named by TEST_MONGODB_URI (make test starts it). There
each test process keeps one database with its collections and indexes (creating FerretDB's tables
and GIN indexes took most of a test's second); before each test every collection is emptied and
refilled from a snapshot of the freshly seeded data (with or without the catalogue, as the test
asks), and the process's caches keyed by ids are cleared. On mongomock each test gets a new
in-memory database, filled from the same kind of snapshot (seeding the catalogue took most of a
test's setup). The others (pages, permissions, forms, validation, PDFs, translations) exercise no
behaviour of the server that mongomock does not share; they are deselected there, and pytest's
summary counts them.
"""

import copy
import os
import uuid

import pytest
from werkzeug.routing.rules import Rule

from app import create_app
from app.services import seed


def _memoised_builders():
    """Each test creates its app, and werkzeug compiles two URL builders for each of the ~240
    rules with ast and compile(): two thirds of create_app's time. A builder depends only on the
    rule's parsed trace, its defaults and the flag (it reaches the rule through its first
    argument), so the same function serves every app of the process. Tests only."""
    compile_builder = Rule._compile_builder
    built = {}

    def cached(self, append_unknown=True):
        defaults = tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items()))
        key = (tuple(self._trace), defaults, append_unknown)
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    Rule._compile_builder = cached


_memoised_builders()


def pytest_collection_modifyitems(config, items):
    if config.getoption("--db") != "ferretdb":
        return
    kept = [item for item in items if item.get_closest_marker("db")]
    left = [item for item in items if not item.get_closest_marker("db")]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def _on_ferretdb(config):
    return config.getoption("--db") == "ferretdb"


@pytest.fixture(scope="session")
def ferretdb_database(request):
    """This test process's database on FerretDB (None on mongomock), dropped at the end."""
    if not _on_ferretdb(request.config):
        yield None
        return
    base = os.environ.get("TEST_MONGODB_URI")
    if not base:
        pytest.fail("--db=ferretdb needs TEST_MONGODB_URI (make test sets it)")
    uri = base.rsplit("/", 1)[0] + f"/t_{uuid.uuid4().hex[:12]}"
    yield {"uri": uri, "snapshots": {}}
    import pymongo

    client = pymongo.MongoClient(uri)
    client.drop_database(client.get_default_database().name)
    client.close()


@pytest.fixture
def db_uri(ferretdb_database):
    if ferretdb_database is not None:
        return ferretdb_database["uri"]
    return f"mongomock://localhost/t_{uuid.uuid4().hex[:12]}"


def _seed(with_catalogue):
    # The catalogue is seeded only for tests that ask for it (catalogue_seeded): publishing
    # thirty definitions per test would triple the suite's time.
    seed.seed_all(include_demo_users=True, include_service_types=False)
    if with_catalogue:
        from app.services import service_types

        service_types.seed()


# The seeded data of this test process, with and without the catalogue, taken once.
SNAPSHOTS: dict[bool, dict] = {}


def _fresh_mongomock(with_catalogue):
    """A new, empty in-memory database: its indexes, then the seeded data (seeded once)."""
    from app.cli import ensure_indexes

    ensure_indexes()
    _fill(SNAPSHOTS, with_catalogue)


def _fresh_ferretdb(shared, with_catalogue):
    """Empty every collection and put back the seeded data (seeding once per process)."""
    from app import db
    from app.cli import ensure_indexes

    database = db.database()
    if not shared["snapshots"]:
        ensure_indexes()
    for name in database.list_collection_names():
        database[name].delete_many({})
    _fill(shared["snapshots"], with_catalogue)


def _fill(snapshots, with_catalogue):
    from app import db

    database = db.database()
    snapshot = snapshots.get(with_catalogue)
    if snapshot is None:
        _seed(with_catalogue)
        snapshots[with_catalogue] = {
            name: list(database[name].find()) for name in database.list_collection_names()
        }
        return
    for name, documents in snapshot.items():
        if documents:
            # Copies: an in-memory database may keep what it is given, and a test's writes
            # must not reach the snapshot.
            database[name].insert_many(copy.deepcopy(documents))


def _clear_process_caches():
    """Caches keyed by ids: on FerretDB the snapshot gives every test the same ids."""
    from app.services import requests, service_types

    service_types._version.cache_clear()
    requests._station_cards.clear()


@pytest.fixture
def app(request, db_uri, ferretdb_database, tmp_path):
    app = create_app(
        "testing",
        {
            "MONGODB_URI": db_uri,
            # Uploads, issued PDFs and open-data files of one test stay in that test.
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "MONGODB_CLIENT": "mongomock" if db_uri.startswith("mongomock://") else "pymongo",
        },
    )
    _clear_process_caches()
    with_catalogue = "catalogue_seeded" in request.fixturenames
    with app.app_context():
        if ferretdb_database is not None:
            _fresh_ferretdb(ferretdb_database, with_catalogue)
        else:
            _fresh_mongomock(with_catalogue)
    yield app
    with app.app_context():
        from app import db

        if ferretdb_database is None:
            db.database().client.drop_database(db.database().name)
        db.close()


@pytest.fixture
def catalogue_seeded(app):
    """The seeded catalogue (the app fixture seeds it when a test asks for this)."""
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


DEMO = {row["email"].split("@")[0]: row for row in seed.demo_accounts()}


class Auth:
    """Logs a test client in and out through the real forms."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path="/login"):
        import re

        page = self.client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, who, password=None):
        """Log in as a demo account (by its short name), optionally with another password."""
        account = DEMO[who]
        return self.login_as(account["email"], password or account["password"])

    def login_as(self, email, password):
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": self.csrf()}
        )

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.csrf("/dashboard")})


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the .po catalogues when the .mo files are missing or stale (make does this too)."""
    import glob

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in glob.glob(
        os.path.join(
            os.path.dirname(__file__), "..", "..", "app", "translations", "*", "LC_MESSAGES", "*.po"
        )
    ):
        mo_path = po_path[:-3] + ".mo"
        if os.path.exists(mo_path) and os.path.getmtime(mo_path) >= os.path.getmtime(po_path):
            continue
        with open(po_path, "rb") as handle:
            catalog = read_po(handle)
        with open(mo_path, "wb") as handle:
            write_mo(handle, catalog)
