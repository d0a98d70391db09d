"""The transactional outbox: every catalog change leaves a row here in the same transaction.

The search worker drains it; a change committed to the catalog can therefore never be missed by the index.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog.clock import utcnow
from catalog.columns import enum_column, utc_datetime


class Operation(StrEnum):
    """What happened to the entity; the worker rebuilds from current rows either way."""

    UPSERT = "upsert"
    DELETE = "delete"


class Outbox(SQLModel, table=True):
    """A pending change for the search index."""

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=40)
    entity_id: int
    operation: Operation = enum_column(Operation)
    created_at: datetime = utc_datetime(default_factory=utcnow)
    attempts: int = 0
    # A worker leases rows until this instant, so several app workers never send the same row twice.
    claimed_until: datetime | None = utc_datetime(nullable=True, default=None)
    claimed_by: str | None = Field(default=None, max_length=80)
    last_error: str | None = Field(default=None, max_length=1000)
    done_at: datetime | None = utc_datetime(nullable=True, default=None, index=True)


def record_change(session: AsyncSession, entity: str, entity_id: int, operation: Operation) -> Outbox:
    """Queue a change for the index in the caller's transaction."""
    row = Outbox(entity=entity, entity_id=entity_id, operation=operation)
    session.add(row)
    return row


@dataclass(frozen=True)
class Backlog:
    """What an operator watches: changes not yet in the index, changes parked after a refusal, the last success."""

    pending: int
    parked: int
    oldest_pending_at: datetime | None
    last_done_at: datetime | None

    def lag_seconds(self, now: datetime) -> float:
        """How long the oldest change still waiting has waited (0 when none waits)."""
        return max(0.0, (now - self.oldest_pending_at).total_seconds()) if self.oldest_pending_at else 0.0


async def backlog(session: AsyncSession, now: datetime) -> Backlog:
    """Count the outbox rows not done: parked ones (released with a retry time after Meilisearch refused them)
    apart from the rest, which wait for a worker or are being sent."""
    not_done = col(Outbox.done_at).is_(None)
    parked = and_(not_done, col(Outbox.claimed_by).is_(None), col(Outbox.claimed_until) > now)
    # Spelt out rather than `~parked`: a NULL claimed_until would make the negation NULL, not true.
    waiting = and_(
        not_done,
        or_(col(Outbox.claimed_by).is_not(None), col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) <= now),
    )
    row = (
        await session.execute(
            select(
                func.count().filter(waiting),
                func.count().filter(parked),
                func.min(Outbox.created_at).filter(waiting),
            ).select_from(Outbox)
        )
    ).one()
    last_done = await session.scalar(select(func.max(Outbox.done_at)))
    return Backlog(
        pending=int(row[0]),
        parked=int(row[1]),
        oldest_pending_at=_aware(row[2]),
        last_done_at=_aware(last_done),
    )


def _aware(value: datetime | None) -> datetime | None:
    # Aggregates bypass the column type, so SQLite hands back naive UTC (or text) where PostgreSQL keeps the zone.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
