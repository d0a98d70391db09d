"""Full rebuild: a fresh index filled from the database, swapped in atomically; searches never see it half-built.

Changes committed while the fresh index fills may reach the old index through the worker and vanish with it at
the swap, so every product changed since the build started is queued again afterwards (`replay_since`).
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from meilisearch_python_sdk import AsyncClient
from sqlalchemy import func, or_
from sqlmodel import col, select

from catalog import outbox
from catalog.clock import utcnow
from catalog.outbox import Outbox
from search import client, documents, index
from search.sync import Sessions

log = logging.getLogger(__name__)

CHUNK = 2_000
# Queued chunks are waited for at the end, so the wait covers indexing the whole catalog.
REINDEX_TASK_TIMEOUT_S = 3_600.0

# done_at is written by the workers' clocks: a little slack for hosts whose clocks disagree.
CLOCK_MARGIN = timedelta(minutes=1)

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


@dataclass(frozen=True)
class Build:
    """A filled fresh index waiting to be swapped in, and when its reading of the database began."""

    live: str
    fresh: str
    documents: int
    high_water: int
    started_at: datetime


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
    return await swap_in(
        sessions, meili, await fill(sessions, meili, live_uid, on=on, synonyms=synonyms, progress=progress)
    )


async def fill(
    sessions: Sessions,
    meili: AsyncClient,
    live_uid: str,
    *,
    on: date,
    synonyms: Mapping[str, list[str]],
    progress: Progress | None = None,
) -> Build:
    """Fill a fresh index from the database; the live one keeps answering (and the worker keeps feeding it)."""
    started_at = utcnow() - CLOCK_MARGIN
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
    return Build(live=live_uid, fresh=fresh, documents=done, high_water=high_water, started_at=started_at)


async def swap_in(sessions: Sessions, meili: AsyncClient, build: Build) -> ReindexReport:
    """Swap the filled index in, delete the old one, and queue again whatever may have reached only the old one."""
    await index.create_if_missing(meili, build.live)
    await client.wait_for_task(meili, (await meili.swap_indexes([(build.live, build.fresh)])).task_uid)
    # After the swap `fresh` names the old documents.
    await client.wait_for_task(meili, (await meili.index(build.fresh).delete()).task_uid)
    replayed = await replay_since(sessions, build.high_water, build.started_at)
    log.info("reindexed %d products into %s; replayed %d later changes", build.documents, build.live, replayed)
    return ReindexReport(built=build.fresh, documents=build.documents, replayed=replayed)


async def replay_since(sessions: Sessions, high_water: int, started_at: datetime) -> int:
    """Queue once more every entity changed since the build started: rows above `high_water`, rows still pending,
    and rows finished after `started_at`.

    On PostgreSQL ids are drawn when a row is inserted, not when its transaction commits: a change with an id below
    the high-water mark can commit after the fresh index read its product and be sent only to the old index, so
    ids alone would lose it at the swap. Its `done_at` (or its still being pending) gives it away.
    """
    async with sessions() as session, session.begin():
        rows = await session.execute(
            select(Outbox.entity, Outbox.entity_id)
            .where(
                or_(
                    col(Outbox.id) > high_water,
                    col(Outbox.done_at).is_(None),
                    col(Outbox.done_at) >= started_at,
                )
            )
            .distinct()
        )
        changed = rows.tuples().all()
        for entity, entity_id in changed:
            outbox.record_change(session, entity, entity_id, outbox.Operation.UPSERT)
    return len(changed)
