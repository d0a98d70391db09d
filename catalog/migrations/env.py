"""Alembic environment: async engine, batch mode for SQLite, metadata from catalog.tables."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from catalog import db, tables

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=tables.metadata,
        render_as_batch=True,  # SQLite has almost no ALTER TABLE; batch mode copies and moves.
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


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
