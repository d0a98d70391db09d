"""Optimistic concurrency: a change names the version it was based on, and loses if the row moved on."""

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, select

from catalog.errors import StaleVersion


async def claim_next(session: AsyncSession, table: type[SQLModel], row_id: int, sent: int) -> int:
    """Move the row from version `sent` to the next one in the database, or raise StaleVersion with the current one."""
    table_: Any = table
    # The guarded UPDATE makes two concurrent changes with the same version impossible: one of them matches no row.
    bumped = await session.execute(
        update(table_)
        .where(col(table_.id) == row_id, col(table_.version) == sent)
        .values(version=sent + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:  # type: ignore[attr-defined]
        current = await session.scalar(select(table_.version).where(col(table_.id) == row_id))
        raise StaleVersion(sent, current or sent)
    return sent + 1
