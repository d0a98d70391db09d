"""`greenshelf scans rollup`: fold raw scan events older than the retention period into daily counts."""

import asyncio
from datetime import UTC, datetime

import click

from catalog import analytics, db
from service.settings import Settings


async def roll_up_once(database_url: str, retention_days: int, now: datetime) -> int:
    """Roll up, in one transaction, every raw scan event older than the retention period; how many were moved."""
    engine = db.create_engine(database_url)
    try:
        async with db.session_factory(engine)() as session, session.begin():
            return await analytics.roll_up(session, before=analytics.retention_cutoff(now, retention_days))
    finally:
        await engine.dispose()


@click.group()
def scans() -> None:
    """Scan analytics commands."""


@scans.command("rollup")
@click.pass_obj
def rollup(settings: Settings) -> None:
    """Keep raw scan events for GREENSHELF_RETENTION_DAYS days; older ones become daily counts per product and store."""
    moved = asyncio.run(roll_up_once(settings.database_url, settings.retention_days, datetime.now(UTC)))
    click.echo(f"rolled up {moved} scan events older than {settings.retention_days} days into daily counts")
