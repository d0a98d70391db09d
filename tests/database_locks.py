"""Seeing another connection's write in progress, so a test can act while an import holds its transaction open."""

import sqlite3

from sqlalchemy import text
from sqlalchemy.engine import make_url

from catalog import db


def sqlite_path(url: str) -> str:
    """The file of a sqlite+aiosqlite URL."""
    database = make_url(url).database
    assert database, url
    return database


async def product_insert_in_progress(url: str) -> bool:
    """True while some other connection has an uncommitted write to the product table.

    SQLite: its one write lock is taken (BEGIN IMMEDIATE fails at once). PostgreSQL: a transaction holds
    RowExclusiveLock on `product`, which INSERT takes and keeps until commit or rollback.
    """
    if make_url(url).get_backend_name() == "sqlite":
        probe = sqlite3.connect(sqlite_path(url), timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        else:
            probe.execute("ROLLBACK")
            return False
        finally:
            probe.close()
    engine = db.create_engine(url)
    try:
        async with engine.connect() as connection:
            held = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'product' AND l.mode = 'RowExclusiveLock' AND l.granted "
                    "AND l.pid <> pg_backend_pid() "
                    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
    finally:
        await engine.dispose()
    return bool(held)
