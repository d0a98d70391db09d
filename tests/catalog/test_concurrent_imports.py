"""A 1,000-row import must not starve other writers: its write transaction is short, and still all-or-nothing."""

import asyncio

from sqlalchemy import func, select
from sqlmodel import col

from catalog import db, imports, products
from catalog.products import Product, ProductDraft
from tests.csv_files import PRODUCT_HEADER, product_rows, to_csv
from tests.database_locks import product_write_probe

IMPORT_DEADLINE_S = 300.0
PROBE_INTERVAL_S = 0.005


async def test_a_product_created_while_a_thousand_row_import_writes_is_saved(demo_db_url: str) -> None:
    engine = db.create_engine(demo_db_url)
    sessions = db.session_factory(engine)
    try:
        async with sessions() as session:
            producer_id = await session.scalar(select(Product.producer_id).where(col(Product.code) == "P001"))
        assert producer_id is not None
        data = to_csv(PRODUCT_HEADER, product_rows(1000))

        async def run_import() -> int:
            async with sessions() as session, session.begin():
                drafts = await imports.check_products(session, data, producer_id=producer_id)
                return await imports.write_products(session, drafts, actor_id=None)

        importing = asyncio.create_task(run_import())
        deadline = asyncio.get_running_loop().time() + IMPORT_DEADLINE_S
        async with product_write_probe(demo_db_url) as import_writes:
            # The write transaction is short (that is the point), so look for it often.
            while not await import_writes():
                assert not importing.done(), "the import ended before it was seen writing"
                assert asyncio.get_running_loop().time() < deadline, "the import never started writing"
                await asyncio.sleep(PROBE_INTERVAL_S)
        # Another writer arrives while the import holds SQLite's write lock: it waits its turn, it does not fail.
        async with sessions() as session, session.begin():
            draft = ProductDraft(name_vi="Mật ong khoái U Minh", category_code="bee_products", producer_id=producer_id)
            honey = await products.create(session, draft, actor_id=None)
        assert await importing == 1000
        async with sessions() as session:
            total = await session.scalar(
                select(func.count()).select_from(Product).where(col(Product.name_vi).like("Mật ong rừng U Minh lô %"))
            )
        assert total == 1000 and honey.id is not None
    finally:
        await engine.dispose()
