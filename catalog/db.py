"""Engine and session factory from a database URL; SQLite gets the pragmas it needs."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

# Every table must be mapped before the first flush, or foreign keys to unimported tables cannot resolve.
from catalog import tables  # noqa: F401
from catalog.errors import DatabaseBusy


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite connections enforce foreign keys and use WAL for concurrent readers."""
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "handle_error", _sqlite_busy)
    return engine


def _sqlite_busy(context: ExceptionContext) -> BaseException | None:
    """Turn "database is locked" (after busy_timeout) into DatabaseBusy, which the web layer answers with 503."""
    message = str(context.original_exception)
    if "database is locked" in message or "database is busy" in message:
        return DatabaseBusy("the database is busy; try again shortly")
    return None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded rows usable after commit (pages render after the transaction ends)."""
    return async_sessionmaker(engine, expire_on_commit=False)
