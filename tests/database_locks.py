"""Seeing another connection's write in progress, so a test can act while an import holds its transaction open."""

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from catalog import db

# RowExclusiveLock is what INSERT takes on a table and keeps until commit or rollback.
PG_PRODUCT_WRITE = text(
    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE c.relname = 'product' AND l.mode = 'RowExclusiveLock' AND l.granted "
    "AND l.pid <> pg_backend_pid() "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


def sqlite_path(url: str) -> str:
    """The file of a sqlite+aiosqlite URL."""
    database = make_url(url).database
    assert database, url
    return database


def _sqlite_write_lock_taken(path: str) -> bool:
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        probe.execute("ROLLBACK")
        return False
    finally:
        probe.close()


@asynccontextmanager
async def product_write_probe(url: str) -> AsyncIterator[Callable[[], Awaitable[bool]]]:
    """A check, true while another connection has an uncommitted write to the product table.

    SQLite: its one write lock is taken (BEGIN IMMEDIATE fails at once). PostgreSQL: another backend holds
    RowExclusiveLock on `product`.
    """
    if make_url(url).get_backend_name() == "sqlite":
        path = sqlite_path(url)

        async def sqlite_check() -> bool:
            return _sqlite_write_lock_taken(path)

        yield sqlite_check
        return
    engine = db.create_engine(url)
    try:
        async with engine.connect() as connection:

            async def postgres_check() -> bool:
                held = await connection.scalar(PG_PRODUCT_WRITE)
                await connection.rollback()
                return bool(held)

            yield postgres_check
    finally:
        await engine.dispose()
