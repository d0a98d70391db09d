"""The catalog generation's reader (catalog/generation.py): cheap under load, never older than the request.

Pages trust it to say whether the catalog changed; a read that could answer with a value from before the request
began would serve a stale page after an edit.
"""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog import db, generation


@pytest.fixture
async def engine(demo_db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(demo_db_url)
    yield engine
    await engine.dispose()


BUMP = (
    "INSERT INTO catalog_generation (id, value) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET value = catalog_generation.value + 1 RETURNING value"
)


async def test_a_read_begun_after_a_commit_always_sees_it_while_other_reads_are_under_way(engine: AsyncEngine) -> None:
    reader = generation.Reader(engine)
    stop = asyncio.Event()

    async def others() -> None:
        # Reads always in flight: a read that joined one of these instead of waiting for its own would be stale.
        while not stop.is_set():
            await asyncio.gather(*(reader.read() for _ in range(5)))

    background = [asyncio.create_task(others()) for _ in range(4)]
    stale = 0
    try:
        for _ in range(200):
            async with engine.connect() as connection:
                committed = (await connection.execute(text(BUMP))).scalar_one()
                await connection.commit()
                # Read the moment COMMIT returns: a read that began before it is very likely still under way.
                stale += await reader.read() < committed
        assert stale == 0
    finally:
        stop.set()
        await asyncio.gather(*background)
        await reader.close()


async def test_concurrent_requests_share_one_read_of_the_database(engine: AsyncEngine, backend: str) -> None:
    reads: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement == generation.SELECT:
            reads.append(statement)

    async with engine.begin() as connection:
        committed = (await connection.execute(text(BUMP))).scalar_one()
    event.listen(engine.sync_engine, "before_cursor_execute", note)
    reader = generation.Reader(engine)
    try:
        values = await asyncio.gather(*(reader.read() for _ in range(50)))
    finally:
        await reader.close()
    assert values == [committed] * 50
    # On SQLite the file is read directly, never through the async driver; elsewhere 50 requests that arrived
    # together wait for one read.
    assert len(reads) == (0 if backend == "sqlite" else 1)
