"""`greenshelf backup` and `greenshelf restore`: the database and uploaded files; the search index is rebuilt."""

from datetime import UTC, datetime
from pathlib import Path

import click

from service import backups
from service.cli import search
from service.settings import Settings


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive to write (default: var/backups/greenshelf-<UTC stamp>.tar.gz).",
)
@click.option(
    "--files",
    "files_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of uploaded files to include, when it exists (default: GREENSHELF_EVIDENCE_DIR, var/evidence).",
)
@click.pass_obj
def backup(settings: Settings, output: Path | None, files_dir: Path | None) -> None:
    """Back up the database (SQLite online backup or pg_dump) and the uploaded files into one archive."""
    files_dir = files_dir or Path(settings.evidence_dir)
    archive = output or Path("var/backups") / f"greenshelf-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    try:
        manifest = backups.backup(settings.database_url, files_dir, archive)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backed up the {manifest.backend} database and {manifest.files} files to {archive}")


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--files",
    "files_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to put the uploaded files back into (default: GREENSHELF_EVIDENCE_DIR, var/evidence).",
)
@click.option(
    "--reindex/--no-reindex",
    default=True,
    show_default=True,
    help="Rebuild the search index from the restored database afterwards.",
)
@click.pass_context
def restore(ctx: click.Context, archive: Path, files_dir: Path | None, reindex: bool) -> None:
    """Restore ARCHIVE into the configured database, which must be new and empty; then rebuild the index."""
    settings: Settings = ctx.obj
    files_dir = files_dir or Path(settings.evidence_dir)
    try:
        manifest = backups.restore(archive, settings.database_url, files_dir)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored the {manifest.backend} database of {manifest.created_at} and {manifest.files} files")
    if reindex:
        # The index is never backed up: it is rebuilt from the restored rows.
        ctx.invoke(search.reindex_command)
    else:
        click.echo("run `greenshelf search reindex` before serving: the search index is not in the backup")
