"""The search sync worker as part of the app's lifespan: started with the app, stopped cleanly with it."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, date, datetime, timedelta

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog import analytics, db, worker_leases
from search import index, sync
from seeds import load
from service.settings import Settings

log = logging.getLogger(__name__)

# A batch in flight finishes within this; past it the task is cancelled and its lease returns the rows.
SHUTDOWN_TIMEOUT_S = 15.0


def synonyms() -> dict[str, list[str]]:
    """The synonym map the products index is configured with, from the seed data."""
    return index.synonym_map(load.seed_catalog()["search_synonyms"])


ROLLUP_EVERY_S = 3600.0


# Held for the roll-up's transaction: of several app processes only one folds the same events at a time.
ROLLUP_LEASE = timedelta(minutes=10)


async def roll_up_scans(settings: Settings, engine: AsyncEngine, stop: asyncio.Event) -> None:
    """Every hour, fold raw scan events older than the retention period into daily counts."""
    worker_id = sync.new_worker_id()
    while not stop.is_set():
        try:
            async with db.session_factory(engine)() as session, session.begin():
                now = datetime.now(UTC)
                moved = 0
                if await worker_leases.hold(session, "scan-rollup", worker_id, ROLLUP_LEASE, now):
                    moved = await analytics.roll_up(
                        session, before=analytics.retention_cutoff(now, settings.retention_days)
                    )
            if moved:
                log.info("rolled up %d scan events into daily counts", moved)
        # The next hour tries again; analytics lag a little, shoppers see nothing.
        except Exception:
            log.warning("scan roll-up failed", exc_info=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), ROLLUP_EVERY_S)


async def _stopped(task: "asyncio.Task[None]") -> None:
    try:
        await asyncio.wait_for(task, SHUTDOWN_TIMEOUT_S)
    except TimeoutError:
        log.warning("scan roll-up did not stop within %.0fs; cancelled", SHUTDOWN_TIMEOUT_S)


def outbox_worker(
    settings: Settings, *, engine: AsyncEngine, today: Callable[[], date]
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """A lifespan hook running the search sync and the hourly scan roll-up while the app serves (`sync_worker`)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if not settings.sync_worker:
            yield
            return
        stop = asyncio.Event()
        task = asyncio.create_task(
            sync.run_forever(
                db.session_factory(engine),
                app.state.meili_indexer,
                settings.meili_index,
                today=today,
                synonyms=synonyms(),
                stop=stop,
                lease=timedelta(seconds=settings.sync_lease_seconds),
                retention=timedelta(days=settings.retention_days),
                create_search_key=bool(settings.meili_master_key and not settings.meili_search_key),
            ),
            name="search-sync",
        )
        rollups = asyncio.create_task(roll_up_scans(settings, engine, stop), name="scan-rollup")
        try:
            yield
        finally:
            stop.set()
            await _stopped(rollups)
            try:
                await asyncio.wait_for(task, SHUTDOWN_TIMEOUT_S)
            except TimeoutError:
                log.warning("search sync did not stop within %.0fs; cancelled", SHUTDOWN_TIMEOUT_S)

    return lifespan
