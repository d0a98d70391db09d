"""`greenshelf tags sheet`: a store's shelf tags as a printable A4 PDF."""

import logging
import math
import secrets
from pathlib import Path

import click
from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import tags as catalog_tags
from catalog.errors import CatalogError
from service import deps, tag_sheets
from service.cli.sessions import run_in_transaction
from service.settings import Settings


@click.group()
def tags() -> None:
    """Shelf tags and their QR codes."""


@tags.command()
@click.option("--store", "store_id", type=int, required=True, help="Id of the store whose listings get tags.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.option("--columns", type=click.IntRange(1, tag_sheets.MAX_COLUMNS), default=3, show_default=True)
@click.option("--rows", type=click.IntRange(1, tag_sheets.MAX_ROWS), default=8, show_default=True)
@click.option("--codes", default=None, help="Only these tag codes (comma-separated).")
@click.option("--only-new", is_flag=True, help="Only tags not printed before.")
@click.option(
    "--start", type=click.IntRange(1), default=1, show_default=True, help="First label position (1: top left)."
)
@click.pass_obj
def sheet(
    settings: Settings,
    store_id: int,
    output: Path,
    columns: int,
    rows: int,
    codes: str | None,
    only_new: bool,
    start: int,
) -> None:
    """Print a store's active listings on A4 label sheets; listings without a tag get one first.

    As the API does it: tags are issued (as by `POST /stores/{id}/tags`), the sheet printed, then marked printed.
    """
    # WeasyPrint logs each rendering step at INFO; the progress bar says the same thing once.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    today = deps.today_in_vietnam()
    layout = tag_sheets.SheetLayout(columns=columns, rows=rows)
    if start > layout.per_page:
        raise click.BadParameter(f"at most {layout.per_page} on a {columns} × {rows} sheet", param_hint="--start")
    chosen = [c for c in codes.split(",") if c.strip()] if codes else None

    async def issue(session: AsyncSession) -> None:
        await catalog_tags.issue_for_store(session, store_id, rng=secrets.SystemRandom(), actor_id=None)

    async def read(session: AsyncSession) -> list[tag_sheets.TagFace]:
        return [
            tag_sheets.face(tag, product, listing, settings.public_base_url, today)
            for tag, product, listing in await catalog_tags.store_sheet(
                session, store_id, codes=chosen, only_new=only_new
            )
        ]

    try:
        run_in_transaction(settings.database_url, issue)
        faces = run_in_transaction(settings.database_url, read)
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from exc
    with Progress(transient=True) as progress:
        task = progress.add_task("Rendering shelf tags", total=len(faces))
        pdf = tag_sheets.render_pdf(faces, layout, start=start, progress=lambda n: progress.advance(task, n))
    output.write_bytes(pdf)

    async def printed(session: AsyncSession) -> None:
        if faces:
            await catalog_tags.mark_printed(session, store_id, [f.code for f in faces], actor_id=None)

    run_in_transaction(settings.database_url, printed)
    pages = max(1, math.ceil((start - 1 + len(faces)) / layout.per_page))
    click.echo(f"{len(faces)} tags on {pages} page(s): {output}")
