"""`greenshelf seed`: reference data, and with --demo the Cà Mau demo catalog."""

import click
from rich.progress import Progress
from sqlalchemy.ext.asyncio import AsyncSession

from seeds import load
from service.cli.sessions import run_in_transaction
from service.settings import Settings


@click.command()
@click.option("--demo", is_flag=True, help="Also load the Cà Mau demo catalog (78 products, 42 producers, 8 stores).")
@click.pass_obj
def seed(settings: Settings, demo: bool) -> None:
    """Load label schemes, categories and materials; idempotent, safe to run again."""

    async def work(session: AsyncSession) -> load.LoadReport:
        if not demo:
            return await load.load_reference(session)
        with Progress(transient=True) as progress:
            task = progress.add_task("Loading demo products", total=len(load.seed_catalog()["products"]))
            return await load.load_demo(session, progress=lambda n: progress.advance(task, n))

    report = run_in_transaction(settings.database_url, work)
    added = ", ".join(f"{n} {kind}" for kind, n in report.added.items()) or "nothing new"
    click.echo(f"seeded: {added}")
