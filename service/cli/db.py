"""`greenshelf db …`: schema migrations."""

from pathlib import Path

import click
from sqlalchemy.engine import make_url

from catalog import migrations
from service.settings import Settings


def ensure_sqlite_folder(database_url: str) -> None:
    """Create the folder of a SQLite file (./var/ by default) so a fresh clone just works."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command()
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.pass_obj
def upgrade(settings: Settings, revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    ensure_sqlite_folder(settings.database_url)
    migrations.upgrade(settings.database_url, revision)
    click.echo(f"database at {revision}: {make_url(settings.database_url).render_as_string(hide_password=True)}")


@db.command()
@click.pass_obj
def current(settings: Settings) -> None:
    """Show the database's current revision."""
    migrations.current(settings.database_url)
