"""GIN indexes that FerretDB 1.24's PostgreSQL backend can actually use.

FerretDB stores each collection as a PostgreSQL table with one jsonb column, `_jsonb`, and pushes
a top-level equality filter down as `WHERE _jsonb->'field' @> '<value>'`. Its own
createIndexes makes btree indexes on expressions that `@>` cannot use, so every such query reads
the whole table. A GIN index on `(_jsonb -> 'field')` serves `@>`, and with
`plan_cache_mode = force_custom_plan` on the database (FerretDB sends prepared statements, whose
generic plans would not look inside the parameter) PostgreSQL uses it: a bitmap index scan, and
equality on two fields ANDs two of them. See docs/ferretdb.md for the measurements.

ensure() creates one on `_id` of every collection and one for every top-level, non-date field of
every index a model declares (the fields hot queries compare by equality; dates are ranged and
sorted, which FerretDB does itself).
It is a no-op unless FERRETDB_POSTGRESQL_URL names the PostgreSQL database FerretDB runs on.
Tied to FerretDB 1.24.2 (the build pins it): the metadata table and column names are its own.
"""

import hashlib

import mongoengine as me

METADATA_TABLE = "_ferretdb_database_metadata"


def equality_fields(document_class):
    """`_id`, then the top-level fields of the model's declared indexes that are not dates, in
    order. `_id` first: FerretDB pushes `{_id: X}` down as `_jsonb->'_id' @> X` too, which its
    own unique btree index on `_id` cannot serve, so without a GIN index every read or write of
    one document by id (a transition, an escalation, a dereference) reads the whole table."""
    fields = ["_id"]
    for spec in document_class._meta.get("index_specs") or []:
        for name, _direction in spec["fields"]:
            if "." in name or name == "_id" or name in fields:
                continue
            field = _model_field(document_class, name)
            if isinstance(field, me.DateTimeField | me.DateField):
                continue
            fields.append(name)
    return fields


def _model_field(document_class, db_name):
    for field in document_class._fields.values():
        if field.db_field == db_name:
            return field
    return None


def index_name(table, field):
    """A PostgreSQL identifier (at most 63 bytes), unique per table and field."""
    digest = hashlib.sha256(f"{table}:{field}".encode()).hexdigest()[:8]
    return f"{table[:40]}_gin_{field[:10]}_{digest}"


def tables(connection, database):
    """{collection name: table name} from FerretDB's metadata for `database` (a schema)."""
    from psycopg import sql

    exists = connection.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
        (database, METADATA_TABLE),
    ).fetchone()
    if not exists:
        return {}
    rows = connection.execute(
        sql.SQL("SELECT _jsonb->>'_id', _jsonb->>'table' FROM {}.{}").format(
            sql.Identifier(database), sql.Identifier(METADATA_TABLE)
        )
    ).fetchall()
    return dict(rows)


def ensure(postgresql_url, database, documents):
    """Create the GIN indexes for `documents` in FerretDB's schema `database`; returns the names
    of the indexes created now (existing ones are left alone)."""
    import psycopg
    from psycopg import sql

    created = []
    with psycopg.connect(postgresql_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("ALTER DATABASE {} SET plan_cache_mode = force_custom_plan").format(
                sql.Identifier(connection.info.dbname)
            )
        )
        by_collection = tables(connection, database)
        for document_class in documents:
            table = by_collection.get(document_class._get_collection_name())
            if table is None:
                continue
            new = []
            for field in equality_fields(document_class):
                name = index_name(table, field)
                present = connection.execute(
                    "SELECT 1 FROM pg_indexes WHERE schemaname = %s AND indexname = %s",
                    (database, name),
                ).fetchone()
                if present:
                    continue
                connection.execute(
                    sql.SQL(
                        "CREATE INDEX IF NOT EXISTS {} ON {}.{} USING gin ((_jsonb -> {}))"
                    ).format(
                        sql.Identifier(name),
                        sql.Identifier(database),
                        sql.Identifier(table),
                        sql.Literal(field),
                    )
                )
                new.append(name)
            if new:  # once per table, after all its new indexes
                connection.execute(
                    sql.SQL("ANALYZE {}.{}").format(sql.Identifier(database), sql.Identifier(table))
                )
            created += new
    return created


def analyze(postgresql_url, database):
    """After a bulk load: move the GIN indexes' pending entries into the index proper (a GIN
    lookup reads its whole pending list, which grows with every insert until a vacuum) and
    refresh the planner's statistics. Autovacuum does both in time on its own."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(postgresql_url, autocommit=True) as connection:
        for table in tables(connection, database).values():
            connection.execute(
                sql.SQL("VACUUM ANALYZE {}.{}").format(
                    sql.Identifier(database), sql.Identifier(table)
                )
            )
