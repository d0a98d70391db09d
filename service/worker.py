"""The search sync worker as part of the app's lifespan: started with the app, stopped cleanly with it."""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, timedelta

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog import db
from search import index, sync
from seeds import load
from service.settings import Settings

log = logging.getLogger(__name__)

# A batch in flight finishes within this; past it the task is cancelled and its lease returns the rows.
SHUTDOWN_TIMEOUT_S = 15.0


def synonyms() -> dict[str, list[str]]:
    """The synonym map the products index is configured with, from the seed data."""
    return index.synonym_map(load.seed_catalog()["search_synonyms"])


def outbox_worker(
    settings: Settings, *, engine: AsyncEngine, today: Callable[[], date]
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """A lifespan hook running search.sync.run_forever while the app serves, if `settings.sync_worker` is on."""

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
                retention=timedelta(days=settings.retention_days),
                create_search_key=bool(settings.meili_master_key and not settings.meili_search_key),
            ),
            name="search-sync",
        )
        try:
            yield
        finally:
            stop.set()
            try:
                await asyncio.wait_for(task, SHUTDOWN_TIMEOUT_S)
            except TimeoutError:
                log.warning("search sync did not stop within %.0fs; cancelled", SHUTDOWN_TIMEOUT_S)

    return lifespan
