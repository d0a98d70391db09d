"""The `greenshelf` command line: one click group, each command group in its own module."""

import logging

import click

from service.cli import backup, db, imports, scans, search, seed, serve, tags, users
from service.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Green Shelf: eco-label and OCOP product catalog with shelf-tag lookup."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # The Meilisearch client's HTTP library logs every request at INFO; a task wait alone is dozens of lines.
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    ctx.obj = Settings()


cli.add_command(serve.serve)
cli.add_command(db.db)
cli.add_command(seed.seed)
cli.add_command(tags.tags)
cli.add_command(users.users)
cli.add_command(imports.import_)
cli.add_command(search.search)
cli.add_command(backup.backup)
cli.add_command(backup.restore)
cli.add_command(scans.scans)


def main() -> None:
    """Console-script entry point."""
    cli()
