"""Unique URL slugs for any table with a `slug` column."""

from collections.abc import Collection
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import text


async def unique_slug(session: AsyncSession, slug_column: Any, name: str, *, also_taken: Collection[str] = ()) -> str:
    """A slug from a Vietnamese name, suffixed -2, -3… when another row (or `also_taken`, not yet written) has it."""
    base = text.slugify(name)
    taken = set((await session.execute(select(slug_column).where(col(slug_column).like(f"{base}%")))).scalars())
    taken.update(also_taken)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
