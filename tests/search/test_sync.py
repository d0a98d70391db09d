"""The outbox worker on both databases, with a real Meilisearch."""

import asyncio
from datetime import date

import pytest
from litestar.testing import AsyncTestClient
from meilisearch_python_sdk import AsyncClient
from sqlalchemy import func, select
from sqlmodel import col

from catalog import db, products
from catalog.outbox import Outbox
from catalog.products import Product, ProductPatch, ProductStatus
from search import client, engine, index, sync
from search.query import SearchRequest
from search.shopper_client import ShopperClient
from service.app import create_app
from service.worker import synonyms
from tests.conftest import NO_MEILI, TODAY, make_settings
from tests.search.conftest import Sessions, product_id

pytestmark = pytest.mark.meili


async def pending(sessions: Sessions) -> list[int]:
    async with sessions() as session:
        rows = await session.execute(select(Outbox.id).where(col(Outbox.done_at).is_(None)).order_by(col(Outbox.id)))
    return list(rows.scalars())


async def document_count(meili: AsyncClient, uid: str) -> int:
    return (await meili.index(uid).get_stats()).number_of_documents


async def test_worker_drains_the_seeded_outbox_into_the_index(
    meili: AsyncClient, own_index: str, sessions: Sessions
) -> None:
    assert await pending(sessions), "seeding leaves one outbox row per change"
    await index.apply(meili, own_index, synonyms())
    report = await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    assert report.upserted == 78 and report.deleted == 0
    assert await pending(sessions) == []
    assert await document_count(meili, own_index) == 78


async def test_two_workers_draining_concurrently_never_send_a_row_twice(
    meili: AsyncClient, own_index: str, sessions: Sessions, demo_db_url: str
) -> None:
    await index.apply(meili, own_index, synonyms())
    waiting = await pending(sessions)
    second_engine = db.create_engine(demo_db_url)  # as a second app process would have
    try:
        first, second = await asyncio.gather(
            sync.drain(sessions, meili, own_index, on=TODAY, worker_id="worker-a", limit=5),
            sync.drain(db.session_factory(second_engine), meili, own_index, on=TODAY, worker_id="worker-b", limit=5),
        )
    finally:
        await second_engine.dispose()
    assert first.rows and second.rows, "both workers took part"
    assert set(first.rows).isdisjoint(second.rows)
    assert sorted(first.rows + second.rows) == waiting
    assert first.upserted + second.upserted == 78, "each product's rows went to one worker, in one batch"
    assert await document_count(meili, own_index) == 78


async def test_changes_stay_pending_while_meilisearch_is_unreachable(sessions: Sessions) -> None:
    waiting = await pending(sessions)
    unreachable = client.make_client(NO_MEILI, None)
    try:
        with pytest.raises(client.ERRORS):
            await sync.drain(sessions, unreachable, "products", on=TODAY, worker_id="w1")
    finally:
        await unreachable.aclose()
    assert await pending(sessions) == waiting
    async with sessions() as session:
        leased = await session.scalar(select(func.count()).where(col(Outbox.claimed_until).is_not(None)))
        errors = await session.scalar(select(func.count()).where(col(Outbox.last_error).is_not(None)))
    assert leased == 0, "released at once, so recovery does not wait for a lease to lapse"
    assert errors and errors > 0


async def test_a_withdrawn_product_leaves_the_index(
    meili: AsyncClient, shopper: ShopperClient, own_index: str, sessions: Sessions
) -> None:
    await index.apply(meili, own_index, synonyms())
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    honey_id = await product_id(sessions, "P065")
    async with sessions() as session, session.begin():
        honey = await session.get(Product, honey_id)
        assert honey is not None
        await products.patch(
            session, honey, ProductPatch(version=honey.version, status=ProductStatus.WITHDRAWN), actor_id=None
        )
    report = await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    assert report.deleted == 1
    async with sessions() as session:
        found = await engine.find(shopper, own_index, session, SearchRequest(q="mat ong u minh"), on=TODAY)
    assert honey_id not in {h.id for h in found.hits} and not found.degraded


async def test_daily_refresh_reindexes_a_product_whose_rating_expired_overnight(
    meili: AsyncClient, shopper: ShopperClient, own_index: str, sessions: Sessions
) -> None:
    last_valid_day, next_day = date(2026, 5, 31), date(2026, 6, 1)  # P062's OCOP 3★ runs until 31 May 2026
    shrimp_id = await product_id(sessions, "P062")
    await index.apply(meili, own_index, synonyms())
    assert await sync.refresh_labels(sessions, last_valid_day) == 0, "the first run only records the day"
    await sync.drain(sessions, meili, own_index, on=last_valid_day, worker_id="w1")
    rated = SearchRequest(labels=("OCOP",), per_page=100)

    async def rated_ids(on: date) -> set[int]:
        async with sessions() as session:
            return {h.id for h in (await engine.find(shopper, own_index, session, rated, on=on)).hits}

    assert shrimp_id in await rated_ids(last_valid_day)
    assert await sync.refresh_labels(sessions, next_day) > 0
    assert await sync.refresh_labels(sessions, next_day) == 0, "once a day"
    report = await sync.drain(sessions, meili, own_index, on=next_day, worker_id="w1")
    assert report.upserted > 0
    assert shrimp_id not in await rated_ids(next_day)


async def test_the_app_worker_stops_promptly_on_shutdown_even_while_backing_off(demo_db_url: str) -> None:
    app = create_app(make_settings(demo_db_url, sync_worker=True), today=lambda: TODAY)
    async with AsyncTestClient(app) as http:
        assert (await http.get("/healthz")).json()["search"] == "degraded"
    # Leaving the block ran the shutdown; the rows the worker could not send are still there for the next start.
    database = db.create_engine(demo_db_url)
    try:
        assert await pending(db.session_factory(database))
    finally:
        await database.dispose()


async def test_changes_meilisearch_refuses_are_parked_for_a_later_retry_not_lost(
    meili: AsyncClient, own_index: str, meili_prefix: str, sessions: Sessions
) -> None:
    await index.apply(meili, own_index, synonyms())
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    for code in ("P054", "P055"):
        pid = await product_id(sessions, code)
        async with sessions() as session, session.begin():
            product = await session.get(Product, pid)
            assert product is not None
            await products.patch(
                session, product, ProductPatch(version=product.version, name_en="renamed"), actor_id=None
            )
    refusing = f"{meili_prefix}sku_keyed"  # an index keyed on another field refuses our documents
    await meili.create_index(refusing, primary_key="sku")
    report = await sync.drain(sessions, meili, refusing, on=TODAY, worker_id="w1")
    assert report.claimed == 2 and report.rows == []
    async with sessions() as session:
        parked = (await session.execute(select(Outbox).where(col(Outbox.done_at).is_(None)))).scalars().all()
    assert len(parked) == 2
    assert all(row.last_error and row.claimed_until and row.claimed_by is None for row in parked)
