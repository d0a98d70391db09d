"""The transactional outbox: every catalog change leaves a row here in the same transaction.

The search worker drains it; a change committed to the catalog can therefore never be missed by the index.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

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
