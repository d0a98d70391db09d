"""Running async catalog work from a synchronous click command, in one transaction."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from catalog import db

T = TypeVar("T")


def run_in_transaction(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction: all of it commits, or none of it does."""

    async def _run() -> T:
        engine = db.create_engine(database_url)
        try:
            async with db.session_factory(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(_run())
