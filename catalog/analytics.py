"""Scan counts by day: raw scan events older than the retention period are rolled up, so counts outlive them.

Days are calendar days in Vietnam (a scan at 23:30 UTC counts for the next day there).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog.scans import ScanEvent
from catalog.stores import Store

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class ScanDaily(SQLModel, table=True):
    """How many scans a product had in a store (or without one) on a day, after its raw events were dropped."""

    __tablename__ = "scan_daily"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    store_id: int | None = Field(default=None, foreign_key="store.id", index=True, ondelete="SET NULL")
    scans: int = Field(ge=0)


@dataclass(frozen=True)
class DayCount:
    """Scans of one product in one store (or none) on one day in Vietnam."""

    day: date
    product_id: int
    store_id: int | None
    scans: int


def vietnam_day(at: datetime) -> date:
    """The calendar day in Vietnam of an instant."""
    return at.astimezone(VIETNAM).date()


def start_of_day(day: date) -> datetime:
    """The first instant of a Vietnamese calendar day, in UTC."""
    return datetime.combine(day, time.min, tzinfo=VIETNAM).astimezone(UTC)


def retention_cutoff(now: datetime, retention_days: int) -> datetime:
    """Raw events before this instant are rolled up: whole Vietnamese days older than the retention period."""
    return start_of_day(vietnam_day(now) - timedelta(days=retention_days))


async def roll_up(session: AsyncSession, *, before: datetime) -> int:
    """Move raw scan events older than `before` into daily counts and delete them; returns how many were moved.

    The caller's transaction makes the counting and the deletion one step, so a scan is never counted twice.
    """
    rows = await session.execute(
        select(col(ScanEvent.id), col(ScanEvent.at), col(ScanEvent.product_id), col(ScanEvent.store_id)).where(
            col(ScanEvent.at) < before
        )
    )
    counts: Counter[tuple[date, int, int | None]] = Counter()
    ids: list[int] = []
    for event_id, at, product_id, store_id in rows.tuples():
        counts[(vietnam_day(at), product_id, store_id)] += 1
        ids.append(event_id)
    if not ids:
        return 0
    for (day, product_id, store_id), scans in counts.items():
        existing = await session.scalar(
            select(ScanDaily).where(
                col(ScanDaily.day) == day,
                col(ScanDaily.product_id) == product_id,
                col(ScanDaily.store_id).is_(None) if store_id is None else col(ScanDaily.store_id) == store_id,
            )
        )
        if existing is None:
            session.add(ScanDaily(day=day, product_id=product_id, store_id=store_id, scans=scans))
        else:
            existing.scans += scans
    for start in range(0, len(ids), 500):
        await session.execute(delete(ScanEvent).where(col(ScanEvent.id).in_(ids[start : start + 500])))
    await session.flush()
    return len(ids)


async def day_counts(
    session: AsyncSession,
    *,
    since: date,
    until: date,
    store_id: int | None = None,
    product_ids: Iterable[int] | None = None,
) -> list[DayCount]:
    """Scans per day, product and store between two Vietnamese days (inclusive), rolled-up and raw together."""
    wanted = None if product_ids is None else list(product_ids)
    daily = select(ScanDaily).where(col(ScanDaily.day) >= since, col(ScanDaily.day) <= until)
    raw = select(col(ScanEvent.at), col(ScanEvent.product_id), col(ScanEvent.store_id)).where(
        col(ScanEvent.at) >= start_of_day(since), col(ScanEvent.at) < start_of_day(until + timedelta(days=1))
    )
    if store_id is not None:
        daily = daily.where(col(ScanDaily.store_id) == store_id)
        raw = raw.where(col(ScanEvent.store_id) == store_id)
    if wanted is not None:
        daily = daily.where(col(ScanDaily.product_id).in_(wanted))
        raw = raw.where(col(ScanEvent.product_id).in_(wanted))
    counts: Counter[tuple[date, int, int | None]] = Counter()
    for row in (await session.execute(daily)).scalars():
        counts[(row.day, row.product_id, row.store_id)] += row.scans
    for at, product_id, event_store in (await session.execute(raw)).tuples():
        counts[(vietnam_day(at), product_id, event_store)] += 1
    return [DayCount(day, product, store, n) for (day, product, store), n in sorted(counts.items(), key=_order)]


def _order(item: tuple[tuple[date, int, int | None], int]) -> tuple[date, int, int]:
    (day, product, store), _n = item
    return day, product, store or 0


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def weeks_ending(on: date, weeks: int) -> list[date]:
    """The Mondays of the `weeks` weeks up to and including the one holding `on`, oldest first."""
    last = week_start(on)
    return [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


PORTAL_WEEKS = 8


@dataclass(frozen=True)
class WeeklyScans:
    """Scans per week (Mondays, oldest first) for each row key: a product, or a product in a store."""

    weeks: list[date]
    rows: dict[object, list[int]]

    def total(self, key: object) -> int:
        """All scans of one row in the window."""
        return sum(self.rows.get(key, []))


def by_week(counts: Iterable[DayCount], weeks: list[date], key: str) -> WeeklyScans:
    """Group day counts into the given weeks by `product` or by `product_store` (a (product, store) pair)."""
    index = {week: n for n, week in enumerate(weeks)}
    rows: dict[object, list[int]] = {}
    for count in counts:
        slot = index.get(week_start(count.day))
        if slot is None:
            continue
        row_key: object = count.product_id if key == "product" else (count.product_id, count.store_id)
        rows.setdefault(row_key, [0] * len(weeks))[slot] += count.scans
    return WeeklyScans(weeks, rows)


async def store_weekly(session: AsyncSession, store_id: int, on: date, weeks: int = PORTAL_WEEKS) -> WeeklyScans:
    """A store's scans per product per week, the `weeks` weeks up to `on`."""
    mondays = weeks_ending(on, weeks)
    counts = await day_counts(session, since=mondays[0], until=on, store_id=store_id)
    return by_week(counts, mondays, "product")


async def products_by_store(
    session: AsyncSession, product_ids: Iterable[int], on: date, weeks: int = PORTAL_WEEKS
) -> WeeklyScans:
    """Scans of some products per store per week, the `weeks` weeks up to `on` (a producer's view)."""
    mondays = weeks_ending(on, weeks)
    counts = await day_counts(session, since=mondays[0], until=on, product_ids=list(product_ids))
    return by_week(counts, mondays, "product_store")


async def store_names(session: AsyncSession) -> dict[int, str]:
    """Store names by id, to label scan rows."""
    rows = await session.execute(select(col(Store.id), col(Store.name)))
    return dict(rows.tuples().all())
