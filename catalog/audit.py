"""The audit log: who changed what, when, with the row before and after."""

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog.clock import utcnow
from catalog.columns import json_column, utc_datetime
from catalog.pagination import paginate


class AuditEntry(SQLModel, table=True):
    """One change to the catalog, kept for the province's oversight."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    action: str = Field(max_length=40)
    before: dict[str, Any] | None = json_column(default=None)
    after: dict[str, Any] | None = json_column(default=None)
    at: datetime = utc_datetime(default_factory=utcnow, index=True)


def snapshot(row: SQLModel) -> dict[str, Any]:
    """A JSON-safe copy of a row's columns for the before/after fields."""
    return row.model_dump(mode="json")


def record(
    session: AsyncSession,
    *,
    actor_id: int | None,
    entity: str,
    entity_id: int | None,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry in the caller's transaction."""
    entry = AuditEntry(actor_id=actor_id, entity=entity, entity_id=entity_id, action=action, before=before, after=after)
    session.add(entry)
    return entry


async def entries(
    session: AsyncSession,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    actor_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AuditEntry], int]:
    """One page of the log, newest first, narrowed by entity, entity id or actor; and the total."""
    query = select(AuditEntry)
    if entity is not None:
        query = query.where(col(AuditEntry.entity) == entity)
    if entity_id is not None:
        query = query.where(col(AuditEntry.entity_id) == entity_id)
    if actor_id is not None:
        query = query.where(col(AuditEntry.actor_id) == actor_id)
    found = await paginate(
        session, query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()), page, per_page
    )
    return found.items, found.total
