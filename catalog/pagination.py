"""Pagination: one page of a longer list, and the one place that counts and offsets a query for it.

`Paginated` is also the shape every list in the JSON API answers with (`{items, total, page, per_page}`), so the
catalog's pages and the API's are the same type: the API only shapes the items (`found.map(ProductOut.of)`).
advanced-alchemy's `OffsetPagination` counts in `limit`/`offset`, which is not the shape the API publishes.
"""

from collections.abc import Callable
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

T = TypeVar("T")
U = TypeVar("U")


class Paginated(BaseModel, Generic[T]):
    """One page of a list: its items and where it sits in the whole."""

    items: list[T]
    total: int
    page: int
    per_page: int

    def map(self, shape: Callable[[T], U]) -> "Paginated[U]":
        """The same page with each item shaped for its reader."""
        return Paginated(
            items=[shape(item) for item in self.items], total=self.total, page=self.page, per_page=self.per_page
        )


async def paginate(session: AsyncSession, query: SelectOfScalar[T], page: int, per_page: int) -> Paginated[T]:
    """Page `page` (from 1) of what `query` selects, in its order, with how many rows it selects in all."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = await session.scalars(query.offset((page - 1) * per_page).limit(per_page))
    return Paginated(items=list(rows), total=total, page=page, per_page=per_page)
