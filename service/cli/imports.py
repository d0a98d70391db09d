"""`greenshelf import …`: bulk CSV imports, all rows or none, with a progress bar."""

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import click
from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import imports
from catalog.errors import CatalogError
from service.cli.sessions import run_in_transaction
from service.settings import Settings

CSV_FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


@click.group(name="import")
def import_() -> None:
    """Bulk CSV imports (formats in README.md): every row is checked first; one bad row and nothing is written."""


@import_.command()
@click.argument("file", type=CSV_FILE)
@click.option("--producer", "producer_id", type=int, required=True, help="The producer the products belong to.")
@click.pass_obj
def products(settings: Settings, file: Path, producer_id: int) -> None:
    """Create the products listed in FILE for a producer."""
    data = file.read_bytes()

    async def check(session: AsyncSession) -> Sequence[Any]:
        return await imports.check_products(session, data, producer_id=producer_id)

    async def write(session: AsyncSession, drafts: Sequence[Any], progress: imports.Progress) -> int:
        return await imports.write_products(session, drafts, actor_id=None, progress=progress)

    written = _run(settings, check, write, "Importing products")
    click.echo(f"imported {written} products for producer {producer_id}")


@import_.command()
@click.argument("file", type=CSV_FILE)
@click.option("--store", "store_id", type=int, required=True, help="The store that stocks them.")
@click.pass_obj
def listings(settings: Settings, file: Path, store_id: int) -> None:
    """Stock the products listed in FILE (by gtin or product_id) in a store."""
    data = file.read_bytes()

    async def check(session: AsyncSession) -> Sequence[Any]:
        return await imports.check_listings(session, data, store_id=store_id)

    async def write(session: AsyncSession, drafts: Sequence[Any], progress: imports.Progress) -> int:
        return await imports.write_listings(session, store_id, drafts, actor_id=None, progress=progress)

    written = _run(settings, check, write, "Importing listings")
    click.echo(f"imported {written} listings for store {store_id}")


def _run(
    settings: Settings,
    check: Callable[[AsyncSession], Awaitable[Sequence[Any]]],
    write: Callable[[AsyncSession, Sequence[Any], imports.Progress], Awaitable[int]],
    label: str,
) -> int:
    async def work(session: AsyncSession) -> int:
        drafts = await check(session)
        with Progress() as progress:
            task = progress.add_task(label, total=len(drafts))
            return await write(session, drafts, lambda n: progress.advance(task, n))

    try:
        return run_in_transaction(settings.database_url, work)
    except imports.ImportRejected as exc:
        for problem in exc.problems:
            where = f"row {problem.row}" + (f", {problem.column}" if problem.column else "")
            click.echo(f"{where}: {problem.message}", err=True)
        raise click.ClickException(str(exc)) from exc
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from exc
