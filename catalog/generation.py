"""The catalog generation: one number that every committed change to what shoppers read moves on.

Rendered pages are kept per process (service/page_cache.py). A page depends on much of the catalog (a product's
alternatives are other products), so instead of tracking what each page read, any committed change to a table a
page shows bumps this number in the same transaction, and a process throws its pages away when the number it reads
differs from the one they were rendered under. One primary-key read per request keeps every process, on any host,
exactly as current as the database: an edit committed through one process is on the next page another serves.

The bump is the last statement before COMMIT (a `before_commit` hook), so the row lock it takes on PostgreSQL is
held only for the commit itself and is always the last lock a transaction asks for: writers never deadlock on it.
"""

import asyncio
import contextlib
import sqlite3
from typing import Any

from sqlalchemy import BigInteger, Column, event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
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


SELECT = "SELECT value FROM catalog_generation WHERE id = 1"


async def current(connection: AsyncConnection) -> int:
    """The generation as committed now (0 before the first change)."""
    return (await connection.execute(text(SELECT))).scalar() or 0


class Reader:
    """Reads the committed generation for every request at the cost of few, cheap reads.

    A request must see a value read after it arrived (an edit committed before it arrived must show), so a request
    never joins a read already under way: it waits for the next one, which starts as soon as the current one ends
    and answers everyone who arrived meanwhile. Under load that is one read per database round trip, not one per
    request; alone, a request costs exactly one read. The read holds one autocommit connection, so it is a single
    round trip (no pool checkout, ping or rollback).

    On SQLite the file is read directly instead, in the event loop: a primary-key read there takes microseconds,
    while the async driver's thread hand-offs take most of a millisecond. WAL readers never wait for writers; if the
    file is busy all the same (a checkpoint), that read goes the async way.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self._sqlite_file = database if database and database != ":memory:" else None
        self._direct: sqlite3.Connection | None = None
        self._connection: AsyncConnection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.Future[int] | None = None
        self._rounds: asyncio.Task[None] | None = None

    async def read(self) -> int:
        """The generation as committed at some moment after this call began."""
        if self._sqlite_file is not None:
            try:
                return self._read_file()
            except sqlite3.Error:
                pass
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # served from a new event loop (tests restart apps): start afresh
            self._loop, self._next, self._rounds, self._connection = loop, None, None, None
        if self._next is None:
            self._next = loop.create_future()
        if self._rounds is None or self._rounds.done():
            self._rounds = loop.create_task(self._read_rounds(), name="catalog-generation")
        # Shielded: one caller's cancellation (a client that went away) must not cancel the others' answer.
        return await asyncio.shield(self._next)

    async def close(self) -> None:
        """Give back the connections (the app stops)."""
        if self._direct is not None:
            self._direct.close()
            self._direct = None
        if self._connection is not None:
            # Closed outright rather than handed back: the app's database plugin may have disposed of the pool first,
            # and a connection returned to a disposed pool is left open.
            connection, self._connection = self._connection, None
            await connection.invalidate()
            await connection.close()

    def _read_file(self) -> int:
        if self._direct is None:
            # Autocommit: every SELECT is its own read transaction and sees the last commit.
            self._direct = sqlite3.connect(self._sqlite_file, isolation_level=None, check_same_thread=False)
        row = self._direct.execute(SELECT).fetchone()
        return int(row[0]) if row else 0

    async def _read_rounds(self) -> None:
        while (waiting := self._next) is not None:
            self._next = None
            try:
                waiting.set_result(await self._read_once())
            except Exception as exc:  # every waiter gets the error its own read would have raised
                waiting.set_exception(exc)

    async def _read_once(self) -> int:
        if self._connection is None:
            connection = await self._engine.connect()
            self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        try:
            return await current(self._connection)
        except Exception:
            # A dropped connection: the next round opens a fresh one.
            connection, self._connection = self._connection, None
            with contextlib.suppress(Exception):
                await connection.invalidate()
            raise


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
