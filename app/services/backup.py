"""Backups that restore: the database, the uploaded files and the document-signing key in one
archive, encrypted at rest with age to public keys whose private halves only the operator holds.

create() writes `portal-backup-<UTC time>.tar.age` (mode 600). Inside the tar:
  database.pgdump     pg_dump -Fc of the schema FerretDB keeps this MongoDB database in
                      (FERRETDB_POSTGRESQL_URL), taken in one snapshot whose row counts the
                      manifest records; or database.mongoarchive, mongodump's archive, on MongoDB
  uploads/...         every file under UPLOAD_DIR
  signing-key.txt     the Ed25519 seed the instance signs documents with (base64)
  manifest.json       what is in it: SHA-256 of every member, the counts, the signing key's id
                      and a fingerprint of SECRET_KEY (never the key itself)

restore() decrypts with the operator's identity file, checks every checksum before it touches
anything, then replaces the database (the old schema is set aside until the new one is complete,
and put back if the restore fails), the uploads (likewise) and reports the signing key. FerretDB
reads its catalogue of collections once, when it starts, so it must be stopped while a restore
runs and started after; restore() refuses while it answers.

The archive never exists unencrypted on disk: the tar is streamed into `age`. The database dump
does, briefly, in a private (0700) directory next to the archive, because a tar member's size
must be known before its bytes.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess  # noqa: S404 — the database's own tools and age, with fixed arguments
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from . import documents, keyed

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
MONGO_ARCHIVE = "database.mongoarchive"
SIGNING_KEY = "signing-key.txt"
UPLOADS = "uploads"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class RestoreReport:
    counts: dict = field(default_factory=dict)
    uploads: int = 0
    signing_key: str = ""
    warnings: list = field(default_factory=list)


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH (Debian: apt-get install {_package(name)})"
        )
    return path


def _package(name):
    return {"age": "age", "pg_dump": "postgresql-client", "pg_restore": "postgresql-client"}.get(
        name, "mongodb-database-tools"
    )


def _run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-500:]}")
    return result


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _signing_seed():
    """The seed in use: the configured key, or the one development derives from SECRET_KEY."""
    return base64.b64encode(documents.signing_seed()).decode()


def secret_fingerprint():
    """Tells two SECRET_KEYs apart without revealing either."""
    return keyed.keyed_digest("backup:secret-key-fingerprint")[:16]


def _database_name():
    from app import db

    return db.database().name


def _postgresql_url():
    return current_app.config.get("FERRETDB_POSTGRESQL_URL")


# --- create -----------------------------------------------------------------------------------


def create(target_dir, recipients):
    """Write an encrypted backup into target_dir; returns its path and the manifest."""
    if not recipients:
        raise BackupError(
            "no age recipient: pass --recipient or set BACKUP_AGE_RECIPIENTS to the public key "
            "(age1…) of the operator who will restore it; a backup is never written unencrypted"
        )
    age = _tool("age")
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    archive = target / f"portal-backup-{stamp}.tar.age"
    work = Path(tempfile.mkdtemp(prefix=".backup-", dir=target))  # 0700
    try:
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "database": _dump_database(work),
            "signing_key_id": documents.key_id(),
            "secret_key_fingerprint": secret_fingerprint(),
            "files": {},
        }
        (work / SIGNING_KEY).write_text(_signing_seed() + "\n")
        uploads = Path(current_app.config["UPLOAD_DIR"])
        members = [(work / manifest["database"]["file"], manifest["database"]["file"])]
        members.append((work / SIGNING_KEY, SIGNING_KEY))
        if uploads.is_dir():
            for path in sorted(p for p in uploads.rglob("*") if p.is_file()):
                members.append((path, f"{UPLOADS}/{path.relative_to(uploads).as_posix()}"))
        for path, name in members:
            manifest["files"][name] = _sha256(path)
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        _write_encrypted(age, recipients, [(work / MANIFEST, MANIFEST), *members], archive)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return archive, manifest


def _write_encrypted(age, recipients, members, archive):
    args = [age, "--encrypt", "--output", str(archive)]
    for recipient in recipients:
        # A path is a recipients file (one key per line, as age-keygen -y prints); else a key.
        args += ["-R", recipient] if os.path.isfile(recipient) else ["-r", recipient]
    old_umask = os.umask(0o077)  # the archive is created 0600 by age
    try:
        with subprocess.Popen(args, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as proc:  # noqa: S603
            assert proc.stdin is not None  # noqa: S101 — opened with PIPE just above
            with tarfile.open(fileobj=proc.stdin, mode="w|") as tar:
                for path, name in members:
                    tar.add(path, arcname=name, recursive=False)
            proc.stdin.close()
            error = proc.stderr.read().decode() if proc.stderr else ""
            if proc.wait() != 0:
                raise BackupError(f"age failed: {error.strip()}")
    except BaseException:
        archive.unlink(missing_ok=True)
        raise
    finally:
        os.umask(old_umask)


def _dump_database(work):
    url = _postgresql_url()
    if url:
        return _pg_dump(url, _database_name(), work / PG_DUMP)
    if shutil.which("mongodump"):
        uri = current_app.config["MONGODB_URI"]
        _run([_tool("mongodump"), f"--uri={uri}", f"--archive={work / MONGO_ARCHIVE}", "--gzip"])
        return {"kind": "mongodb", "file": MONGO_ARCHIVE, "counts": {}}
    raise BackupError(
        "the database cannot be dumped: set FERRETDB_POSTGRESQL_URL (FerretDB on PostgreSQL) "
        "or install mongodump (MongoDB); see docs/deploy.md"
    )


def _pg_dump(url, schema, out):
    """pg_dump of the schema, in the snapshot the counts were taken in: they describe exactly
    what the dump holds, and restore() checks them."""
    import psycopg

    pg_dump = _tool("pg_dump")
    with psycopg.connect(url) as connection:
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = _scalar(connection, "SELECT pg_export_snapshot()")
        counts = _counts(connection, schema)
        if not counts:
            raise BackupError(f"database {schema!r} has no collections on {_safe(url)}")
        _run(
            [pg_dump, f"--dbname={url}", "--format=custom", f"--schema={_quoted(schema)}",
             f"--snapshot={snapshot}", "--no-owner", f"--file={out}"]
        )  # fmt: skip
        connection.execute("COMMIT")
    return {"kind": "ferretdb-postgresql", "file": PG_DUMP, "schema": schema, "counts": counts}


def _quoted(identifier):
    # pg_dump's -n takes a pattern; a quoted name matches exactly that schema.
    return '"' + identifier.replace('"', '""') + '"'


def _safe(url):
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port}{parts.path}"


def _scalar(connection, query):
    row = connection.execute(query).fetchone()
    if row is None:
        raise BackupError("PostgreSQL returned no row")
    return row[0]


def _counts(connection, schema):
    """{collection: rows} of FerretDB's schema, read from its own metadata table."""
    from psycopg import sql

    from app import gin_indexes

    counts = {}
    for collection, table in sorted(gin_indexes.tables(connection, schema).items()):
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)
        )
        counts[collection] = _scalar(connection, query)
    return counts


# --- restore ----------------------------------------------------------------------------------


def restore(archive, identity, key_out=None):
    """Replace the database and the uploads with the archive's; see the module's docstring."""
    age = _tool("age")
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=Path(archive).resolve().parent))
    try:
        manifest = _unpack(age, archive, identity, work)
        database = manifest["database"]
        if database["kind"] == "ferretdb-postgresql":
            _refuse_while_ferretdb_answers()
        report = RestoreReport()
        report.warnings += _secret_warnings(manifest)
        if database["kind"] == "ferretdb-postgresql":
            report.counts = _pg_restore(work / PG_DUMP, database)
        else:
            _mongo_restore(work / MONGO_ARCHIVE)
        report.uploads = _restore_uploads(work / UPLOADS)
        report.signing_key = _restore_signing_key(work / SIGNING_KEY, manifest, key_out, report)
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _unpack(age, archive, identity, work):
    args = [age, "--decrypt", "--identity", str(identity), str(archive)]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:  # noqa: S603
        assert proc.stdout is not None and proc.stderr is not None  # noqa: S101 — PIPEs
        unreadable = None
        try:
            with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                tar.extractall(work, filter="data")  # no links out, no absolute paths
        except tarfile.TarError as error:
            unreadable = error
            proc.stdout.read()  # drained, so age is not left blocked on a full pipe
        said = proc.stderr.read().decode().strip()
        # age's own reason first: a wrong key also makes the tar unreadable.
        if proc.wait() != 0:
            raise BackupError(f"age could not decrypt {archive}: {said}")
        if unreadable is not None:
            raise BackupError(f"{archive} is not a readable backup ({unreadable})")
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive} has no readable manifest") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is of format {manifest.get('format')}, not {FORMAT}")
    present = {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(manifest["files"]):
        raise BackupError(f"{archive} does not hold the files its manifest lists")
    for name, digest in manifest["files"].items():
        if _sha256(work / name) != digest:
            raise BackupError(f"{archive}: {name} does not match its checksum; nothing restored")
    return manifest


def _refuse_while_ferretdb_answers():
    import pymongo
    from pymongo.errors import PyMongoError

    uri = current_app.config["MONGODB_URI"]
    client: pymongo.MongoClient = pymongo.MongoClient(
        uri, serverSelectionTimeoutMS=1500, connectTimeoutMS=1500
    )
    try:
        client.admin.command("ping")
    except PyMongoError:
        return
    finally:
        client.close()
    raise BackupError(
        "FerretDB answers at MONGODB_URI: stop every FerretDB on this database first, and start "
        "them again after the restore (FerretDB reads its catalogue of collections only when it "
        "starts, and would not see the restored one)"
    )


def _secret_warnings(manifest):
    if manifest.get("secret_key_fingerprint") == secret_fingerprint():
        return []
    return [
        "SECRET_KEY is not the one this backup was made under: API keys, Aadhaar search, desk "
        "claim codes and open sessions will not match until the old SECRET_KEY is set again"
    ]


def _pg_restore(dump, database):
    import psycopg
    from psycopg import sql

    url, schema = _postgresql_url(), database["schema"]
    if not url:
        raise BackupError("FERRETDB_POSTGRESQL_URL is not set: the backup is of FerretDB")
    if _database_name() != schema:
        raise BackupError(
            f"the backup is of database {schema!r}; MONGODB_URI names {_database_name()!r}"
        )
    pg_restore = _tool("pg_restore")
    aside = f"{schema[:40]}_before_restore_{datetime.now(UTC):%Y%m%d%H%M%S}"
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,)
        ).fetchone()
        rename = sql.SQL("ALTER SCHEMA {} RENAME TO {}")
        if exists:
            connection.execute(rename.format(sql.Identifier(schema), sql.Identifier(aside)))
        try:
            _run([pg_restore, f"--dbname={url}", "--no-owner", "--exit-on-error",
                  "--single-transaction", str(dump)])  # fmt: skip
            counts = _counts(connection, schema)
            if counts != database["counts"]:
                raise BackupError(
                    f"restored counts {counts} differ from the backup's {database['counts']}"
                )
        except BaseException:
            drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
            connection.execute(drop)
            if exists:
                connection.execute(rename.format(sql.Identifier(aside), sql.Identifier(schema)))
            raise
        if exists:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(aside)))
    return counts


def _mongo_restore(archive):
    uri = current_app.config["MONGODB_URI"]
    name = _database_name()
    _run([_tool("mongorestore"), f"--uri={uri}", f"--archive={archive}", "--gzip", "--drop",
          f"--nsInclude={name}.*"])  # fmt: skip


def _restore_uploads(source):
    """UPLOAD_DIR becomes the backup's files: the new tree is moved in whole and the old one set
    aside until then (put back if the move fails); where UPLOAD_DIR cannot be moved (a mount
    point) its contents are replaced instead."""
    target = Path(current_app.config["UPLOAD_DIR"])
    source.mkdir(exist_ok=True)
    files = sum(1 for p in source.rglob("*") if p.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(f"{target.name}.before-restore")
    shutil.rmtree(aside, ignore_errors=True)
    try:
        if target.exists():
            target.rename(aside)
    except OSError:
        for child in target.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(source, target, dirs_exist_ok=True)
        return files
    try:
        shutil.move(str(source), str(target))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        if aside.exists():
            aside.rename(target)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return files


def _restore_signing_key(key_file, manifest, key_out, report):
    """The instance must sign with the backup's key for its documents to verify; say whether it
    does, or write the key where the operator asked (DOCUMENT_SIGNING_KEY_FILE or --key-out)."""
    backup_id = manifest["signing_key_id"]
    if documents.key_id() == backup_id:
        return f"the instance already signs with the backup's key ({backup_id})"
    destination = key_out or current_app.config.get("DOCUMENT_SIGNING_KEY_FILE")
    if not destination:
        report.warnings.append(
            f"documents were signed with key {backup_id}, this instance signs with "
            f"{documents.key_id()}: rerun with --key-out FILE and set DOCUMENT_SIGNING_KEY_FILE "
            "to it, or earlier documents will not verify"
        )
        return "not restored"
    fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key_file.read_text())
    return f"key {backup_id} written to {destination}; restart the web and worker processes"
