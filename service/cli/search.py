"""`greenshelf search …`: a one-off outbox sync and a full reindex with an atomic swap."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
from meilisearch_python_sdk import AsyncClient
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from catalog import db
from search import client, index, reindex, sync
from search.sync import Sessions
from service import deps, worker
from service.settings import Settings

T = TypeVar("T")


def run_with_search(settings: Settings, work: Callable[[Sessions, AsyncClient], Awaitable[T]]) -> T:
    """Run `work` with database sessions and a Meilisearch client; a clear error when Meilisearch is away."""

    async def _run() -> T:
        engine = db.create_engine(settings.database_url)
        meili = client.make_client(settings.meili_url, settings.meili_key)
        try:
            return await work(db.session_factory(engine), meili)
        finally:
            await meili.aclose()
            await engine.dispose()

    try:
        return asyncio.run(_run())
    except client.ERRORS as exc:
        raise click.ClickException(f"Meilisearch at {settings.meili_url} is unavailable: {exc}") from exc


@click.group()
def search() -> None:
    """Search index commands."""


@search.command("sync")
@click.pass_obj
def sync_command(settings: Settings) -> None:
    """Send pending catalog changes to Meilisearch once, after queueing products whose labels crossed a date."""
    on = deps.today_in_vietnam()

    async def work(sessions: Sessions, meili: AsyncClient) -> tuple[int, sync.SyncReport]:
        await index.apply(meili, settings.meili_index, worker.synonyms())
        queued = await sync.refresh_labels(sessions, on)
        return queued, await sync.drain(sessions, meili, settings.meili_index, on=on, worker_id=sync.new_worker_id())

    queued, report = run_with_search(settings, work)
    click.echo(
        f"sent {len(report.rows)} changes ({report.upserted} documents replaced, {report.deleted} removed); "
        f"{queued} products queued for labels that expired or took effect"
    )


@search.command("reindex")
@click.pass_obj
def reindex_command(settings: Settings) -> None:
    """Rebuild the products index from the database into a fresh index and swap it in atomically."""
    on = deps.today_in_vietnam()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("Indexing products", total=None)

        async def work(sessions: Sessions, meili: AsyncClient) -> reindex.ReindexReport:
            return await reindex.rebuild(
                sessions,
                meili,
                settings.meili_index,
                on=on,
                synonyms=worker.synonyms(),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )

        report = run_with_search(settings, work)
    click.echo(
        f"reindexed {report.documents} products into {settings.meili_index!r}; "
        f"{report.replayed} changes made meanwhile queued again"
    )
