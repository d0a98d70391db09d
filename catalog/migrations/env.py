"""Alembic environment: async engine, batch mode for SQLite, metadata from catalog.tables."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from catalog import db, tables

config = context.config


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode copies a table and drops the old one; with foreign keys on, that DROP would cascade (a product
        # table rebuilt would take every certification with it). Off while migrating (outside any transaction, or
        # SQLite ignores it), then every reference is checked before they are on again.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=tables.metadata,
        render_as_batch=True,  # SQLite has almost no ALTER TABLE; batch mode copies and moves.
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        if broken:
            raise RuntimeError(f"the migration left rows referring to missing ones: {broken[:5]}")


async def _run_async(url: str) -> None:
    engine = db.create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Run against the URL the caller put in the config's attributes."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    asyncio.run(_run_async(config.attributes["database_url"]))


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `greenshelf db upgrade`")
run_migrations_online()
