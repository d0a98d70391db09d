"""The catalog generation: one number that every committed change to what shoppers read moves on.

Rendered pages are kept per process (service/page_cache.py). A page depends on much of the catalog (a product's
alternatives are other products), so instead of tracking what each page read, any committed change to a table a
page shows bumps this number in the same transaction, and a process throws its pages away when the number it reads
differs from the one they were rendered under. One primary-key read per request keeps every process, on any host,
exactly as current as the database: an edit committed through one process is on the next page another serves.

The bump is the last statement before COMMIT (a `before_commit` hook), so the row lock it takes on PostgreSQL is
held only for the commit itself and is always the last lock a transaction asks for: writers never deadlock on it.
"""

from typing import Any

from sqlalchemy import BigInteger, Column, event, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import ORMExecuteState, Session
from sqlmodel import Field, SQLModel

# Changes here never alter a product or scan page: bookkeeping, analytics, accounts, the province's plan.
UNSHOWN_TABLES = frozenset(
    {
        "account",
        "audit_entry",
        "awareness_event",
        "catalog_generation",
        "invite",
        "outbox",
        "plan",
        "report",
        "scan_daily",
        "scan_event",
        "sync_state",
        "target",
        "worker_lease",
    }
)
_CHANGED = "catalog_changed"


class CatalogGeneration(SQLModel, table=True):
    """The single row holding the generation."""

    __tablename__ = "catalog_generation"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


async def current(connection: AsyncConnection) -> int:
    """The generation as committed now (0 before the first change)."""
    return (await connection.execute(text("SELECT value FROM catalog_generation WHERE id = 1"))).scalar() or 0


def bump(session: Session) -> None:
    """Move the generation on in the session's transaction (an upsert: the row may not exist yet)."""
    session.execute(
        text(
            "INSERT INTO catalog_generation (id, value) VALUES (1, 1) "
            "ON CONFLICT (id) DO UPDATE SET value = catalog_generation.value + 1"
        )
    )


def _shown(table_name: str | None) -> bool:
    return table_name is not None and table_name not in UNSHOWN_TABLES


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session: Session, _context: Any, _instances: Any) -> None:
    changed = [*session.new, *session.deleted, *(o for o in session.dirty if session.is_modified(o))]
    if any(_shown(getattr(getattr(o, "__table__", None), "name", None)) for o in changed):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state: ORMExecuteState) -> None:
    # Bulk INSERT/UPDATE/DELETE statements (imports, expiry refreshes) do not pass through a flush.
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if _shown(getattr(table, "name", None)):
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_if_changed(session: Session) -> None:
    # A flush can still happen inside commit; flush first so its changes are noted before deciding.
    session.flush()
    if session.info.pop(_CHANGED, False):
        bump(session)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGED, None)
