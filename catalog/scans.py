"""Anonymous scan events: how often shoppers look, never who they are."""

from datetime import datetime

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


def record_scans(session: AsyncSession, events: list[ScanEvent]) -> None:
    """Add a batch of scan events (counted earlier, written together) in the caller's transaction."""
    session.add_all(events)
