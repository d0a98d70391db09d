"""Full rebuild: a fresh index filled from the database, swapped in atomically; searches never see it half-built.

Changes committed while the fresh index fills may reach the old index through the worker and vanish with it at
the swap, so every product changed since the build started is queued again afterwards.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from meilisearch_python_sdk import AsyncClient
from sqlalchemy import func
from sqlmodel import col, select

from catalog import outbox
from catalog.outbox import Outbox
from search import client, documents, index
from search.sync import Sessions

log = logging.getLogger(__name__)

CHUNK = 2_000
# Queued chunks are waited for at the end, so the wait covers indexing the whole catalog.
REINDEX_TASK_TIMEOUT_S = 3_600.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReindexReport:
    """What a rebuild did: the index it built, how many documents, and how many changes it replayed."""

    built: str
    documents: int
    replayed: int


def fresh_uid(live_uid: str, at: datetime) -> str:
    """`<live>_<UTC stamp>`: unique per run, and easy to spot if a crashed run leaves one behind."""
    return f"{live_uid}_{at.astimezone(UTC):%Y%m%d%H%M%S%f}"


async def rebuild(
    sessions: Sessions,
    meili: AsyncClient,
    live_uid: str,
    *,
    on: date,
    synonyms: Mapping[str, list[str]],
    progress: Progress | None = None,
) -> ReindexReport:
    """Build `<live>_<stamp>`, swap it with the live index, delete the old one; `progress(done, total)` per chunk."""
    fresh = fresh_uid(live_uid, datetime.now(UTC))
    async with sessions() as session:
        high_water = await session.scalar(select(func.max(Outbox.id))) or 0
        product_ids = await documents.published_ids(session)
    await index.apply(meili, fresh, synonyms)
    done, pending = 0, []
    # Chunks are queued without waiting: Meilisearch batches consecutive additions and indexes while the next
    # chunk is read from the database (measured in bench/: waiting per chunk ran at a quarter of the floor).
    for start in range(0, len(product_ids), CHUNK):
        async with sessions() as session:
            batch = await documents.build(session, product_ids[start : start + CHUNK], on)
        pending.append((await meili.index(fresh).add_documents(batch.documents, index.PRIMARY_KEY)).task_uid)
        done += len(batch.documents)
        if progress:
            progress(min(start + CHUNK, len(product_ids)), len(product_ids))
    for task_uid in pending:
        await client.wait_for_task(meili, task_uid, timeout_s=REINDEX_TASK_TIMEOUT_S)
    await index.create_if_missing(meili, live_uid)
    await client.wait_for_task(meili, (await meili.swap_indexes([(live_uid, fresh)])).task_uid)
    # After the swap `fresh` names the old documents.
    await client.wait_for_task(meili, (await meili.index(fresh).delete()).task_uid)
    replayed = await replay_since(sessions, high_water)
    log.info("reindexed %d products into %s; replayed %d later changes", done, live_uid, replayed)
    return ReindexReport(built=fresh, documents=done, replayed=replayed)


async def replay_since(sessions: Sessions, high_water: int) -> int:
    """Queue once more every entity with an outbox row newer than `high_water`."""
    async with sessions() as session, session.begin():
        rows = await session.execute(
            select(Outbox.entity, Outbox.entity_id).where(col(Outbox.id) > high_water).distinct()
        )
        changed = rows.tuples().all()
        for entity, entity_id in changed:
            outbox.record_change(session, entity, entity_id, outbox.Operation.UPSERT)
    return len(changed)
