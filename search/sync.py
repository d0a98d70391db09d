"""The outbox worker: drains catalog changes into the index, and re-indexes products whose labels crossed a date.

Claims are leases (`Outbox.claimed_by/claimed_until`), taken per entity: every pending row of a product goes to
one worker at a time, so two workers can neither send the same row nor overtake each other with an older
document of the same product. Documents are built from current rows after the claim, sent, the Meilisearch task
is awaited, and only then are the rows marked done. While Meilisearch is unreachable the rows go back to pending
and the worker backs off; nothing is lost. A worker sends nothing once its lease is nearly over, so a slow run can
never overlap the next holder's. A row Meilisearch refused is parked (`claimed_by` empty, `claimed_until` the retry
time); a newer change of the same entity is not held back by it and takes it along.
"""

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from meilisearch_python_sdk import AsyncClient
from sqlalchemy import and_, delete, distinct, exists, func, or_, text, tuple_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from catalog import outbox, worker_leases
from catalog.certifications import Certification
from catalog.clock import utcnow
from catalog.errors import DatabaseBusy
from catalog.outbox import Outbox
from catalog.products import Product
from catalog.sync_state import SyncState
from search import client, documents, index

log = logging.getLogger(__name__)

BATCH_ENTITIES = 100
# Longer than the worst batch (a task wait is bounded by client.TASK_TIMEOUT_S), so a lease never lapses mid-send.
LEASE = timedelta(minutes=5)
# The longest one send can take (the request, then the task wait): no send starts later than this before the lease
# ends, so a worker that has run out of lease cannot overtake the next holder with an older document.
SEND_BUDGET = timedelta(seconds=client.TASK_TIMEOUT_S + 2 * client.REQUEST_TIMEOUT_S)
# One process polls (the drainer): a quarter second keeps an edit searchable well within 5 s for little work.
IDLE_POLL_S = 0.25
# How often a process that does not drain asks whether the drainer's lease has lapsed.
STANDBY_POLL_S = 1.0
BACKOFF_START_S = 0.5
BACKOFF_MAX_S = 10.0
REJECTED_RETRY_MAX = timedelta(hours=1)
BOOKKEEPING_RETRY_START_S = 0.1
# Well inside the lease: rows marked done within this are never sent a second time.
BOOKKEEPING_RETRY_S = 60.0
PRUNE_EVERY_S = 3600.0
# pg_advisory_xact_lock key ("gsob"): serialises the short claim statements on PostgreSQL, so each claim sees the
# leases committed by the previous one (SKIP LOCKED alone cannot keep a product's rows with a single worker).
CLAIM_LOCK_KEY = 0x67736F62
LABELS_REFRESHED_ON = "search.labels_refreshed_on"

Sessions = async_sessionmaker[AsyncSession]


@dataclass(frozen=True, order=True)
class Claimed:
    """An outbox row this worker holds the lease on."""

    id: int
    entity: str
    entity_id: int
    attempts: int


@dataclass
class SyncReport:
    """What a run did: rows claimed, rows marked done (sent), documents replaced and documents deleted."""

    claimed: int = 0
    rows: list[int] = field(default_factory=list)
    upserted: int = 0
    deleted: int = 0

    def add(self, other: "SyncReport") -> None:
        """Fold another run's numbers into this one."""
        self.claimed += other.claimed
        self.rows.extend(other.rows)
        self.upserted += other.upserted
        self.deleted += other.deleted


def new_worker_id() -> str:
    """Host, process and a random suffix: tells apart app workers, CLI runs and test workers in claimed_by."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:80]


async def claim(
    sessions: Sessions, worker_id: str, *, limit: int = BATCH_ENTITIES, lease: timedelta = LEASE
) -> list[Claimed]:
    """Lease every pending row of up to `limit` entities that no other worker holds, oldest change first.

    An entity is taken when one of its rows is due; its parked rows come along (the document is built from current
    rows, so the newer change covers them) instead of holding the newer change back until their retry time.
    """
    now = utcnow()
    row, held = aliased(Outbox), aliased(Outbox)
    claimable = and_(col(row.done_at).is_(None), or_(col(row.claimed_until).is_(None), col(row.claimed_until) < now))
    # Only a worker's lease holds an entity; a parked row has no claimed_by.
    is_held = exists().where(
        held.entity == row.entity,
        held.entity_id == row.entity_id,
        col(held.done_at).is_(None),
        col(held.claimed_by).is_not(None),
        col(held.claimed_until) >= now,
    )
    free_entities = (
        select(row.entity, row.entity_id)
        .where(claimable, ~is_held)
        .group_by(row.entity, row.entity_id)
        .order_by(func.min(row.id))
        .limit(limit)
    )
    statement = (
        update(Outbox)
        .where(
            col(Outbox.done_at).is_(None),
            or_(
                col(Outbox.claimed_by).is_(None),
                col(Outbox.claimed_until).is_(None),
                col(Outbox.claimed_until) < now,
            ),
            tuple_(col(Outbox.entity), col(Outbox.entity_id)).in_(free_entities),
        )
        .values(claimed_by=worker_id, claimed_until=now + lease, attempts=col(Outbox.attempts) + 1)
        .returning(col(Outbox.id), col(Outbox.entity), col(Outbox.entity_id), col(Outbox.attempts))
        .execution_options(synchronize_session=False)
    )
    async with sessions() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK_KEY})
        # On SQLite the UPDATE is the transaction's first statement, so it takes the write lock before reading.
        rows = (await session.execute(statement)).tuples().all()
    return sorted(Claimed(*r) for r in rows)


async def _bookkeep(sessions: Sessions, statement: Any) -> None:
    """Run one outbox update, retrying while the database is busy (SQLite's write lock during a long import).

    Giving up would leave rows leased after their documents were sent, and the next lease would send them twice.
    """
    delay = BOOKKEEPING_RETRY_START_S
    deadline = asyncio.get_running_loop().time() + BOOKKEEPING_RETRY_S
    while True:
        try:
            async with sessions() as session, session.begin():
                await session.execute(statement)
            return
        except (OperationalError, DatabaseBusy) as exc:
            if asyncio.get_running_loop().time() + delay > deadline:
                raise
            log.warning("outbox bookkeeping retried in %.1fs: %s", delay, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX_S)


async def mark_done(sessions: Sessions, worker_id: str, row_ids: Sequence[int]) -> None:
    """The index holds these changes: finish the rows this worker still leases."""
    await _bookkeep(
        sessions,
        update(Outbox)
        .where(col(Outbox.id).in_(row_ids), col(Outbox.claimed_by) == worker_id, col(Outbox.done_at).is_(None))
        .values(done_at=utcnow(), claimed_until=None, last_error=None)
        .execution_options(synchronize_session=False),
    )


async def release(
    sessions: Sessions, worker_id: str, row_ids: Sequence[int], error: str, *, retry_at: datetime | None = None
) -> None:
    """Give rows back: pending at once (Meilisearch down), or parked until `retry_at` (Meilisearch refused them)."""
    await _bookkeep(
        sessions,
        update(Outbox)
        .where(col(Outbox.id).in_(row_ids), col(Outbox.claimed_by) == worker_id, col(Outbox.done_at).is_(None))
        .values(claimed_by=None, claimed_until=retry_at, last_error=error[:1000])
        .execution_options(synchronize_session=False),
    )


async def prune_done(sessions: Sessions, *, before: datetime) -> int:
    """Delete outbox rows finished before `before` (the retention setting); pending and parked rows stay."""
    async with sessions() as session, session.begin():
        result = await session.execute(
            delete(Outbox)
            .where(col(Outbox.done_at).is_not(None), col(Outbox.done_at) < before)
            .execution_options(synchronize_session=False)
        )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def _product_ids(session: AsyncSession, rows: Sequence[Claimed]) -> dict[int, list[int]]:
    """Which products' documents each claimed row touches."""
    touched: dict[int, list[int]] = {}
    for row in rows:
        if row.entity == "product":
            touched[row.id] = [row.entity_id]
        elif row.entity == "producer":
            found = await session.execute(select(Product.id).where(col(Product.producer_id) == row.entity_id))
            touched[row.id] = [pid for pid in found.scalars() if pid is not None]
        else:
            log.warning("outbox row %s: entity %r has no search document; marking it done", row.id, row.entity)
            touched[row.id] = []
    return touched


async def send(meili: AsyncClient, index_uid: str, batch: documents.Batch) -> None:
    """Replace and delete documents, and wait until Meilisearch has applied both."""
    target = meili.index(index_uid)
    tasks = []
    if batch.documents:
        tasks.append((await target.add_documents(batch.documents, primary_key=index.PRIMARY_KEY)).task_uid)
    if batch.deletions:
        tasks.append((await target.delete_documents([str(i) for i in batch.deletions])).task_uid)
    for task_uid in tasks:
        await client.wait_for_task(meili, task_uid)


async def _send_rows(
    sessions: Sessions, meili: AsyncClient, index_uid: str, touched: Mapping[int, list[int]], on: date
) -> SyncReport:
    async with sessions() as session:
        batch = await documents.build(session, sorted({p for ps in touched.values() for p in ps}), on)
    await send(meili, index_uid, batch)
    return SyncReport(rows=sorted(touched), upserted=len(batch.documents), deleted=len(batch.deletions))


def _retry_at(attempts: int) -> datetime:
    return utcnow() + min(REJECTED_RETRY_MAX, timedelta(seconds=30 * 2 ** min(attempts, 10)))


async def run_once(
    sessions: Sessions,
    meili: AsyncClient,
    index_uid: str,
    *,
    on: date,
    worker_id: str,
    limit: int = BATCH_ENTITIES,
    lease: timedelta = LEASE,
) -> SyncReport:
    """Claim one batch, send it, mark it done; an empty report means nothing was claimable."""
    # A short lease (a setting, e.g. in tests) still leaves half of itself for sending.
    last_send = utcnow() + max(lease - SEND_BUDGET, lease / 2)
    claimed = await claim(sessions, worker_id, limit=limit, lease=lease)
    if not claimed:
        return SyncReport()
    async with sessions() as session:
        touched = await _product_ids(session, claimed)
    report = SyncReport(claimed=len(claimed))
    handled: set[int] = set()
    try:
        try:
            if utcnow() < last_send:
                report.add(await _send_rows(sessions, meili, index_uid, touched, on))
                handled.update(touched)
        except client.TaskFailed:
            # One bad document fails the whole task; send entity by entity so it cannot hold the others back,
            # but only while the lease lasts: what is left goes back to pending for the next holder.
            for rows in _by_entity(claimed):
                if utcnow() >= last_send:
                    break
                ids = [r.id for r in rows]
                try:
                    report.add(await _send_rows(sessions, meili, index_uid, {i: touched[i] for i in ids}, on))
                except client.TaskFailed as exc:
                    log.error("outbox rows %s refused by Meilisearch: %s", ids, exc)
                    await release(sessions, worker_id, ids, str(exc), retry_at=_retry_at(max(r.attempts for r in rows)))
                handled.update(ids)
    except client.ERRORS as exc:
        unsent = [r.id for r in claimed if r.id not in set(report.rows)]
        reason = "unavailable" if client.is_unavailable(exc) else "refused the request"
        await release(sessions, worker_id, unsent, f"meilisearch {reason}: {exc}")
        handled.update(unsent)
        raise
    finally:
        if report.rows:
            await mark_done(sessions, worker_id, report.rows)
    if unhandled := [r.id for r in claimed if r.id not in handled]:
        log.warning("outbox rows %s returned unsent: the lease ran out", unhandled)
        await release(sessions, worker_id, unhandled, "lease ran out before the send")
    return report


def _by_entity(rows: Sequence[Claimed]) -> list[list[Claimed]]:
    groups: dict[tuple[str, int], list[Claimed]] = {}
    for row in rows:
        groups.setdefault((row.entity, row.entity_id), []).append(row)
    return list(groups.values())


async def drain(
    sessions: Sessions,
    meili: AsyncClient,
    index_uid: str,
    *,
    on: date,
    worker_id: str,
    limit: int = BATCH_ENTITIES,
) -> SyncReport:
    """Run batches until nothing is left that this worker may claim."""
    total = SyncReport()
    while (report := await run_once(sessions, meili, index_uid, on=on, worker_id=worker_id, limit=limit)).claimed:
        total.add(report)
    return total


async def refresh_labels(sessions: Sessions, on: date) -> int:
    """Queue products whose certificates expired or took effect since the last refresh day; returns how many."""
    # Once per day: of several workers racing on the same day, one moves the day and queues, the others see 0.
    # The first run only records the day, since every document sent from then on is built on it.
    async with sessions() as session:
        state = await session.get(SyncState, LABELS_REFRESHED_ON)
    last = state.value if state is not None else None
    if last is not None and last >= on.isoformat():
        return 0
    try:
        async with sessions() as session, session.begin():
            if last is None:
                session.add(SyncState(key=LABELS_REFRESHED_ON, value=on.isoformat()))
                return 0
            moved = await session.execute(
                update(SyncState)
                .where(col(SyncState.key) == LABELS_REFRESHED_ON, col(SyncState.value) == last)
                .values(value=on.isoformat())
                .execution_options(synchronize_session=False)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                return 0
            since = date.fromisoformat(last)
            crossed = or_(
                and_(col(Certification.valid_until) >= since, col(Certification.valid_until) < on),
                and_(col(Certification.issued_on) > since, col(Certification.issued_on) <= on),
            )
            product_ids = (await session.execute(select(distinct(Certification.product_id)).where(crossed))).scalars()
            queued = [outbox.record_change(session, "product", pid, outbox.Operation.UPSERT) for pid in product_ids]
            return len(queued)
    except IntegrityError:
        return 0


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def run_forever(
    sessions: Sessions,
    meili: AsyncClient,
    index_uid: str,
    *,
    today: Callable[[], date],
    synonyms: Mapping[str, list[str]],
    stop: asyncio.Event,
    worker_id: str | None = None,
    lease: timedelta = LEASE,
    retention: timedelta | None = None,
    create_search_key: bool = False,
) -> None:
    """The app's background loop: settings (and the shoppers' search key), daily refresh, batches, pruning of
    finished rows older than `retention` (hourly); backs off while Meilisearch is away.

    Of several app processes only the one holding the drainer lease (catalog/worker_leases.py) runs it; the others
    wait, and take over once a dead holder's lease has lapsed. A worker that dies holding rows leaves them to the
    next holder once `lease` has run out.
    """
    worker_id = worker_id or new_worker_id()
    drainer = _DrainerLease(sessions, worker_id, min(lease, DRAINER_LEASE))
    heartbeat = asyncio.create_task(drainer.keep(stop), name="outbox-drainer-lease")
    try:
        ready, delay, pruned_at = False, 0.0, None
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            if not drainer.held and not await drainer.renew():
                # Another process drains; settings and key are (re)applied by whoever takes over.
                ready = False
                await _pause(stop, STANDBY_POLL_S)
                continue
            try:
                if retention is not None and (pruned_at is None or loop.time() - pruned_at >= PRUNE_EVERY_S):
                    pruned_at = loop.time()
                    if pruned := await prune_done(sessions, before=utcnow() - retention):
                        log.info("pruned %d finished outbox rows older than %s", pruned, retention)
                if not ready:
                    if create_search_key:
                        await client.ensure_search_key(meili)
                    await index.apply(meili, index_uid, synonyms)
                    ready = True
                on = today()
                await refresh_labels(sessions, on)
                sent = await run_once(sessions, meili, index_uid, on=on, worker_id=worker_id, lease=lease)
                busy = bool(sent.claimed)
                delay = 0.0
            except client.ERRORS as exc:
                ready, busy = False, False
                delay = min(BACKOFF_MAX_S, max(BACKOFF_START_S, delay * 2))
                if client.is_unavailable(exc):
                    log.warning("search sync waiting %.1fs: Meilisearch unavailable (%s)", delay, exc)
                else:
                    log.error("search sync retrying in %.1fs: Meilisearch refused the request (%s)", delay, exc)
            except Exception:
                # The loop must outlive a database hiccup; the lease returns whatever was claimed.
                busy = False
                delay = min(BACKOFF_MAX_S, max(BACKOFF_START_S, delay * 2))
                log.exception("search sync failed; retrying in %.1fs", delay)
            if not busy:
                await _pause(stop, delay or IDLE_POLL_S)
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
        await drainer.give_up()


# How long the drainer lease runs unrenewed: a dead drainer's job passes to another process after this.
DRAINER_LEASE = timedelta(seconds=30)
DRAINER = "outbox-drainer"


class _DrainerLease:
    """This process's claim on draining the outbox, renewed a few times per lease."""

    def __init__(self, sessions: Sessions, worker_id: str, lease: timedelta) -> None:
        self._sessions = sessions
        self._worker_id = worker_id
        self._lease = lease
        self._held_until = 0.0
        # The loop and the heartbeat both renew; one at a time, or the second would lose to the first's insert.
        self._renewing = asyncio.Lock()

    @property
    def held(self) -> bool:
        """True while this process's last renewal is surely still running (with a margin for clock drift)."""
        return asyncio.get_running_loop().time() < self._held_until

    async def renew(self) -> bool:
        """Take or renew the lease now."""
        async with self._renewing:
            return await self._renew()

    async def _renew(self) -> bool:
        asked_at = asyncio.get_running_loop().time()
        try:
            async with self._sessions() as session, session.begin():
                got = await worker_leases.hold(session, DRAINER, self._worker_id, self._lease, utcnow())
        # The loop must outlive a database hiccup; not renewing lets the lease run out, which is safe.
        except Exception:
            log.warning("could not renew the outbox drainer lease", exc_info=True)
            return self.held
        was = self.held
        self._held_until = asked_at + self._lease.total_seconds() * 0.8 if got else 0.0
        if got and not was:
            log.info("this process (%s) now drains the search outbox", self._worker_id)
        return got

    async def keep(self, stop: asyncio.Event) -> None:
        """Renew every third of the lease until stopped."""
        while not stop.is_set():
            await self.renew()
            await _pause(stop, self._lease.total_seconds() / 3)

    async def give_up(self) -> None:
        """Hand the job on at once on a clean stop."""
        if not self.held:
            return
        self._held_until = 0.0
        with contextlib.suppress(Exception):
            async with self._sessions() as session, session.begin():
                await worker_leases.give_up(session, DRAINER, self._worker_id)
