"""Anonymous scan events: how often shoppers look, never who they are."""

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from catalog.clock import utcnow
from catalog.columns import utc_datetime


class ScanEvent(SQLModel, table=True):
    """One scan of a shelf tag. No IP address, no user agent, no personal data."""

    __tablename__ = "scan_event"

    id: int | None = Field(default=None, primary_key=True)
    tag_id: int | None = Field(default=None, foreign_key="shelf_tag.id", index=True, ondelete="SET NULL")
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    store_id: int | None = Field(default=None, foreign_key="store.id", index=True, ondelete="SET NULL")
    at: datetime = utc_datetime(default_factory=utcnow)
    lang: str = Field(max_length=5)


class Scan(NamedTuple):
    """A scan counted but not yet written: a plain tuple, cheap to note on every page."""

    tag_id: int | None
    product_id: int
    store_id: int | None
    lang: str
    at: datetime


async def record_scans(session: AsyncSession, scans: Sequence[Scan]) -> None:
    """Write a batch of scans (counted earlier) in the caller's transaction.

    One bulk INSERT, no ORM object per row: under load a batch holds thousands, and building them in the event loop
    would stall every page for a second.
    """
    await session.execute(insert(ScanEvent), [scan._asdict() for scan in scans])
