"""FerretDB on PostgreSQL answers the hot equality lookups from GIN indexes, not table scans.

Reads PostgreSQL's plan for the very statement FerretDB 1.24 sends for a top-level equality
filter (`SELECT _jsonb FROM <table> WHERE _jsonb->$1 @> $2`, a prepared statement), on the live
stack's database after `flask seed` (which runs ensure-indexes). Sequential scans are priced out
(enable_seqscan off), so the plan is a scan of the table only when no index can serve the filter.
"""

import os

import psycopg
import pytest
from psycopg import sql

from app.gin_indexes import tables

# The live stack's database: FerretDB's schema of the same name.
DATABASE = os.environ.get("MONGODB_URI", "/police_portal_live").rsplit("/", 1)[-1].split("?")[0]
# (collection, field): the lookups every hot page makes (one document by id, status by number,
# a station's queue, an officer's assignments, the sweep's due hours, sign-in by email,
# sessions, tokens, documents, FIRs, notifications, postings, officers' searches).
HOT = [
    ("service_requests", "_id"),
    ("claims", "_id"),
    ("request_events", "_id"),
    ("service_requests", "number"),
    ("service_requests", "station"),
    ("service_requests", "assigned_to"),
    ("service_requests", "applicant"),
    ("service_requests", "escalate_hour"),
    ("service_requests", "warn_hour"),
    ("service_requests", "search_keys"),  # an officer's search (services.request_search)
    ("users", "email_key"),
    ("user_sessions", "sid"),
    ("api_tokens", "tid"),
    ("issued_documents", "request"),
    ("firs", "station"),
    ("firs", "complaint"),
    ("firs", "public_keys"),  # the public FIR listing (services.fir_listing)
    ("notifications", "recipient"),
    ("postings", "user"),
]


@pytest.fixture(scope="module")
def connection():
    url = os.environ.get("FERRETDB_POSTGRESQL_URL")
    if not url:
        pytest.fail("FERRETDB_POSTGRESQL_URL is not set: run this tier through `make test`")
    # Client-side binding: the statements below carry PostgreSQL's own $1 and $2.
    with psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor) as connection:
        yield connection


def _plan(connection, table, field, value='"x"'):
    connection.execute("SET enable_seqscan = off")
    if connection.execute("SELECT 1 FROM pg_prepared_statements WHERE name = 'lookup'").fetchone():
        connection.execute("DEALLOCATE lookup")
    connection.execute(
        sql.SQL(
            "PREPARE lookup(text, jsonb) AS SELECT _jsonb FROM {}.{} WHERE _jsonb->$1 @> $2"
        ).format(sql.Identifier(DATABASE), sql.Identifier(table))
    )
    rows = connection.execute("EXPLAIN EXECUTE lookup(%s, %s)", (field, value)).fetchall()
    return "\n".join(row[0] for row in rows)


def test_ferretdb_database_plans_custom(connection):
    assert connection.execute("SHOW plan_cache_mode").fetchone()[0] == "force_custom_plan"


@pytest.mark.parametrize(("collection", "field"), HOT)
def test_hot_lookups_use_a_gin_index(connection, collection, field):
    table = tables(connection, DATABASE).get(collection)
    assert table, f"no table for {collection}"
    plan = _plan(connection, table, field)
    assert "Bitmap Index Scan" in plan and "Seq Scan" not in plan, plan


def test_the_check_can_fail_without_custom_plans(connection):
    """With generic plans PostgreSQL cannot look into $1, so no expression index serves it."""
    table = tables(connection, DATABASE)["service_requests"]
    connection.execute("SET plan_cache_mode = force_generic_plan")
    try:
        assert "Seq Scan" in _plan(connection, table, "number")
    finally:
        connection.execute("RESET plan_cache_mode")
