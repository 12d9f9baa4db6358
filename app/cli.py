"""Flask CLI commands: seed the database, list demo accounts, ensure indexes."""

import json

import click

from app.models import ALL_DOCUMENTS
from app.services import seed


def init_cli(app):
    @app.cli.command("seed")
    @click.option("--demo/--no-demo", default=None, help="Also seed demo users (default: config).")
    def seed_command(demo):
        """Create roles, jurisdictions and (in development) demo users. Safe to re-run."""
        include_demo = app.config["SEED_DEMO_USERS"] if demo is None else demo
        if (
            include_demo
            and app.config.get("SESSION_COOKIE_SECURE")
            and not app.config["SEED_DEMO_USERS"]
        ):
            raise click.ClickException("Demo users with public passwords are refused here.")
        ensure_indexes()
        try:
            counts = seed.seed_all(include_demo_users=include_demo)
        except seed.SeedError as error:
            raise click.ClickException(str(error)) from error
        for name, created in counts.items():
            click.echo(f"{name}: {created} created")

    @app.cli.command("demo-accounts")
    def demo_accounts_command():
        """Print the demo accounts as JSON (email, password, roles, station)."""
        click.echo(json.dumps(seed.demo_accounts(), indent=2, ensure_ascii=False))

    @app.cli.command("ensure-indexes")
    def ensure_indexes_command():
        """Create every declared index."""
        ensure_indexes()
        click.echo("indexes ensured")


def ensure_indexes():
    for document in ALL_DOCUMENTS:
        document.ensure_indexes()
