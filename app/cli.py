"""Flask CLI commands: seed the database, list demo accounts, ensure indexes."""

import json

import click

from app.models import ALL_DOCUMENTS
from app.services import seed


def init_cli(app):
    @app.cli.command("seed")
    @click.option("--demo/--no-demo", default=None, help="Also seed demo users (default: config).")
    @click.option(
        "--demo-requests/--no-demo-requests",
        default=True,
        help="With the demo users, also their demo requests (default: yes).",
    )
    def seed_command(demo, demo_requests):
        """Create roles, jurisdictions and (in development) demo users. Safe to re-run."""
        include_demo = app.config["SEED_DEMO_USERS"] if demo is None else demo
        if (
            include_demo
            and app.config.get("SESSION_COOKIE_SECURE")
            and not app.config["SEED_DEMO_USERS"]
        ):
            raise click.ClickException("Demo users with public passwords are refused here.")
        ensure_indexes()
        from app.services import accounts as account_service
        from app.services import engine, fir_listing, request_search
        from app.services import requests as request_service
        from app.services import stats as stat_service
        from app.services import sweep as _machines  # noqa: F401 - loading it registers them

        account_service.backfill_email_keys()
        try:
            engine.prepare()
        except engine.SpecError as error:
            raise click.ClickException(str(error)) from error
        request_service.backfill_open_flag()
        request_service.backfill_clock_hours()
        request_search.backfill()
        fir_listing.backfill()
        if stat_service.needs_rebuild():
            click.echo(f"statistics: {stat_service.rebuild()} facts from existing requests")
        try:
            counts = seed.seed_all(
                include_demo_users=include_demo,
                include_demo_requests=include_demo and demo_requests,
            )
        except seed.SeedError as error:
            raise click.ClickException(str(error)) from error
        for name, created in counts.items():
            click.echo(f"{name}: {created} created")

    @app.cli.command("demo-accounts")
    def demo_accounts_command():
        """Print the demo accounts as JSON (email, password, roles, station) and the demo API
        keys (development only: they exist only where SEED_DEMO_USERS is on)."""
        from flask import current_app

        with_keys = bool(current_app.config.get("SEED_DEMO_USERS"))
        click.echo(
            json.dumps(seed.demo_accounts(with_api_keys=with_keys), indent=2, ensure_ascii=False)
        )

    catalogue_group = click.Group("catalogue", help="The service catalogue.")

    @catalogue_group.command("check")
    def catalogue_check():
        """Validate every seed definition file and every live definition in the database."""
        from app.models import ServiceType
        from app.services import catalogue, service_types

        problems = 0
        try:
            files = service_types.seed_files()
            click.echo(f"{len(files)} definition files valid")
        except catalogue.DefinitionError as error:
            click.echo(str(error), err=True)
            problems += 1
        for live in ServiceType.objects:
            for message in catalogue.validate(live.definition):
                click.echo(f"{live.state.code}/{live.code} v{live.version}: {message}", err=True)
                problems += 1
        if problems:
            raise click.ClickException(f"{problems} problem(s) found")
        click.echo("catalogue ok")

    app.cli.add_command(catalogue_group)

    @app.cli.command("central-pull")
    def central_pull_command():
        """Pull every configured state's register feed now (what beat does every 5 minutes)."""
        from app.services import feeds

        if app.config.get("DEPLOYMENT_LEVEL") != "central":
            raise click.ClickException("DEPLOYMENT_LEVEL is not 'central'")
        for state, stored in feeds.pull_all().items():
            click.echo(f"{state}: {stored} stored")

    @app.cli.command("open-data")
    def open_data_command():
        """Rewrite the open-data files now (what beat does daily)."""
        from app.services import open_data

        for name, rows in open_data.publish_all(app.config["OPEN_DATA_PUBLISHER"]).items():
            click.echo(f"{name}: {rows} rows")

    @app.cli.command("audit-verify")
    @click.option("--seal/--no-seal", default=False, help="Seal pending events first.")
    def audit_verify_command(seal):
        """Check the audit trail's hash chain; exits 1 at the first broken link."""
        from app.services import audit_chain

        if seal:
            audit_chain.seal_all()
        verdict = audit_chain.verify()
        if verdict.ok:
            click.echo(f"audit chain ok: {verdict.checked} events verified")
            return
        raise click.ClickException(
            f"audit chain broken at index {verdict.broken_at} (event {verdict.event_id}): "
            f"{verdict.reason}; {verdict.checked} events before it verified"
        )

    @app.cli.command("backup")
    @click.option("--to", "target", type=click.Path(file_okay=False), help="Default: BACKUP_DIR.")
    @click.option(
        "--recipient",
        "recipients",
        multiple=True,
        help="An age public key (age1…) or a file of them; default: BACKUP_AGE_RECIPIENTS.",
    )
    def backup_command(target, recipients):
        """Write an encrypted backup: the database, the uploaded files, the signing key."""
        from app.services import backup

        configured = app.config.get("BACKUP_AGE_RECIPIENTS", "")
        recipients = list(recipients) or [r.strip() for r in configured.split(",") if r.strip()]
        try:
            path, manifest = backup.create(target or app.config["BACKUP_DIR"], recipients)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        counts = manifest["database"]["counts"]
        uploads = sum(1 for name in manifest["files"] if name.startswith("uploads/"))
        click.echo(f"backup written: {path}")
        click.echo(f"  {sum(counts.values())} documents in {len(counts)} collections")
        click.echo(f"  {uploads} uploaded files; signing key {manifest['signing_key_id']}")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False))
    @click.option(
        "--identity",
        required=True,
        type=click.Path(exists=True, dir_okay=False),
        help="The age identity (private key) file the backup was encrypted to.",
    )
    @click.option("--key-out", type=click.Path(dir_okay=False), help="Where to write the "
                  "backup's signing key if this instance signs with another one.")  # fmt: skip
    @click.option("--yes", is_flag=True, help="Do not ask before replacing the data.")
    def restore_command(archive, identity, key_out, yes):
        """Replace the database and uploaded files with a backup's (FerretDB stopped)."""
        from app.services import backup

        if not yes:
            click.confirm(
                "This replaces the whole database and every uploaded file. Go on?", abort=True
            )
        try:
            report = backup.restore(archive, identity, key_out=key_out)
        except backup.BackupError as error:
            raise click.ClickException(str(error)) from error
        total = sum(report.counts.values())
        click.echo(f"restored: {total} documents in {len(report.counts)} collections")
        click.echo(f"  {report.uploads} uploaded files; signing key: {report.signing_key}")
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo("Now start FerretDB, then the web and worker processes.")

    @app.cli.command("ensure-indexes")
    def ensure_indexes_command():
        """Create every declared index (and, on FerretDB-on-PostgreSQL, its GIN indexes)."""
        created = ensure_indexes()
        click.echo(f"indexes ensured ({len(created)} GIN indexes created now)")


def ensure_indexes():
    """The indexes the models declare, and on FerretDB-on-PostgreSQL the GIN indexes its
    pushed-down equality filters can use (app/gin_indexes.py)."""
    from flask import current_app
    from pymongo.errors import CollectionInvalid

    from app import db, gin_indexes

    database = db.database()
    existing = set(database.list_collection_names())
    for document in ALL_DOCUMENTS:
        # Created now, not at its first write: FerretDB makes a collection's table then, and the
        # GIN indexes below need the table.
        if document._get_collection_name() not in existing:
            try:
                database.create_collection(document._get_collection_name())
            except CollectionInvalid:  # another process made it first
                pass
        _ensure_document_indexes(document)
    postgresql_url = current_app.config.get("FERRETDB_POSTGRESQL_URL")
    if postgresql_url:
        return gin_indexes.ensure(postgresql_url, db.database().name, ALL_DOCUMENTS)
    return []


# IndexOptionsConflict, IndexKeySpecsConflict: an index of that name exists with other options.
INDEX_CONFLICTS = (85, 86)


def _ensure_document_indexes(document):
    """The document's declared indexes; one whose options changed between releases (a unique
    index that became sparse, as User.email did when email became optional) is rebuilt."""
    from pymongo.errors import OperationFailure

    for _attempt in range(10):
        try:
            document.ensure_indexes()
            return
        except OperationFailure as error:
            name = _conflicting_index(error)
            conflict = error.code in INDEX_CONFLICTS or "different options" in str(error)
            if not (conflict and name):
                raise
            click.echo(f"rebuilding index {document._get_collection_name()}.{name}")
            document._get_collection().drop_index(name)
    raise RuntimeError(f"indexes of {document.__name__} keep conflicting")


def _conflicting_index(error):
    import re

    match = re.search(r"(?:name|Index with name): ?\"?([\w.$-]+)", str(error))
    return match.group(1) if match else None
