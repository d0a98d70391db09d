"""Named leases between app processes: which one runs a one-at-a-time job (the outbox drainer) right now.

The holder renews its lease well before it ends; a process that dies stops renewing, and another takes the job once
the lease has lapsed. The outbox rows carry their own leases, so even a late renewal that lets two drainers overlap
for a moment never sends a change twice or out of order; this lease keeps the other processes idle.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from catalog.columns import utc_datetime

LAPSED = datetime(1970, 1, 1, tzinfo=UTC)


class WorkerLease(SQLModel, table=True):
    """Who holds a job, until when."""

    __tablename__ = "worker_lease"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=80)
    until: datetime = utc_datetime()


async def hold(session: AsyncSession, name: str, holder: str, lease: timedelta, now: datetime) -> bool:
    """Take or renew the lease on `name` for `lease` from `now`; False while another holder's lease runs."""
    renewed = await session.execute(
        update(WorkerLease)
        .where(col(WorkerLease.name) == name, or_(col(WorkerLease.holder) == holder, col(WorkerLease.until) <= now))
        .values(holder=holder, until=now + lease)
    )
    if renewed.rowcount:  # type: ignore[attr-defined]
        return True
    if await session.get(WorkerLease, name) is not None:
        return False
    # The first holder ever; of two first holders at once, one loses on the primary key.
    try:
        async with session.begin_nested():
            session.add(WorkerLease(name=name, holder=holder, until=now + lease))
    except IntegrityError:
        return False
    return True


async def give_up(session: AsyncSession, name: str, holder: str) -> None:
    """End a lease this holder has (a clean stop), so another process takes the job at once."""
    await session.execute(
        update(WorkerLease).where(col(WorkerLease.name) == name, col(WorkerLease.holder) == holder).values(until=LAPSED)
    )


async def holder_of(session: AsyncSession, name: str, now: datetime) -> str | None:
    """Who holds `name` now (None when nobody's lease runs)."""
    lease = await session.get(WorkerLease, name)
    return lease.holder if lease is not None and lease.until > now else None
