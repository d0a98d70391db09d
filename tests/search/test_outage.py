"""A Meilisearch outage: search degrades to SQL, changes queue up, and the app's worker catches up afterwards."""

import pytest
from litestar.testing import AsyncTestClient
from meilisearch_python_sdk import AsyncClient
from sqlalchemy import select
from sqlmodel import col

from catalog import products
from catalog.products import Product, ProductPatch
from search import client
from search.local_server import LocalMeili
from search.sync import Sessions
from tests.search.conftest import search_app
from tests.waiting import wait_until

pytestmark = pytest.mark.meili

CHANGED = 50
MARKER = "outagecheck"


async def index_names(meili: AsyncClient, uid: str) -> dict[int, str]:
    documents = await meili.index(uid).get_documents(limit=1000, fields=["id", "name_en"])
    return {d["id"]: d["name_en"] for d in documents.results}


async def test_changes_made_while_meilisearch_is_down_reach_the_index_after_it_returns(
    demo_db_url: str, meili_server: LocalMeili, meili: AsyncClient, own_index: str, sessions: Sessions
) -> None:
    app = search_app(demo_db_url, meili_server, own_index, worker=True)
    async with AsyncTestClient(app) as http:

        async def index_has_demo_catalog() -> bool:
            try:
                return len(await index_names(meili, own_index)) == 78
            except client.ERRORS:
                return False

        await wait_until(index_has_demo_catalog, within_s=60, what="the worker indexes the seeded catalog")

        meili_server.stop()
        async with sessions() as session:
            ids = list((await session.execute(select(Product.id).order_by(col(Product.id)).limit(CHANGED))).scalars())
        expected: dict[int, str] = {}
        for product_id in ids:
            # One committed transaction per change, as one PATCH request each would be.
            async with sessions() as session, session.begin():
                product = await session.get(Product, product_id)
                assert product is not None and product.id is not None
                new_name = f"{product.name_en} {MARKER}"
                await products.patch(
                    session, product, ProductPatch(version=product.version, name_en=new_name), actor_id=None
                )
                expected[product.id] = new_name

        during = (await http.get("/api/v1/search", params={"q": MARKER, "per_page": 100})).json()
        assert during["degraded"] is True
        assert {h["id"] for h in during["hits"]} == set(expected), "the SQL fallback already sees every change"
        assert (await http.get("/healthz")).json()["search"] == "degraded"

        meili_server.start()

        async def index_holds_every_change() -> bool:
            try:
                names = await index_names(meili, own_index)
            except client.ERRORS:
                return False
            return all(names.get(i) == name for i, name in expected.items())

        await wait_until(index_holds_every_change, within_s=30, what=f"the index holds all {CHANGED} changes")

        after = (await http.get("/api/v1/search", params={"q": MARKER, "per_page": 100})).json()
        assert after["degraded"] is False
        assert {h["id"] for h in after["hits"]} == set(expected)
        assert (await http.get("/healthz")).json()["search"] == "ok"


async def test_meilisearch_killed_in_the_middle_of_50_writes_has_all_50_searchable_within_30_s_of_returning(
    demo_db_url: str, meili_server: LocalMeili, meili: AsyncClient, own_index: str, sessions: Sessions
) -> None:
    app = search_app(demo_db_url, meili_server, own_index, worker=True)
    marker = "killcheck"
    async with AsyncTestClient(app) as http:

        async def index_has_demo_catalog() -> bool:
            try:
                return len(await index_names(meili, own_index)) == 78
            except client.ERRORS:
                return False

        await wait_until(index_has_demo_catalog, within_s=60, what="the worker indexes the seeded catalog")
        async with sessions() as session:
            ids = list((await session.execute(select(Product.id).order_by(col(Product.id)).limit(CHANGED))).scalars())
        for n, product_id in enumerate(ids):
            if n == CHANGED // 2:
                assert meili_server.process is not None
                meili_server.process.kill()  # SIGKILL, mid-stream: some changes may be in flight
                meili_server.stop()
            async with sessions() as session, session.begin():
                product = await session.get(Product, product_id)
                assert product is not None
                await products.patch(
                    session,
                    product,
                    ProductPatch(version=product.version, name_en=f"{product.name_en} {marker}"),
                    actor_id=None,
                )
        meili_server.start()

        async def all_searchable() -> bool:
            found = (await http.get("/api/v1/search", params={"q": marker, "per_page": 100})).json()
            return found["degraded"] is False and {h["id"] for h in found["hits"]} == set(ids)

        await wait_until(
            all_searchable, within_s=30, what=f"all {CHANGED} changes searchable after Meilisearch returns"
        )
