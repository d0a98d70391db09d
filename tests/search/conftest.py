"""Search fixtures: a shared read-only demo index, per-test indexes, sessions, and apps wired to Meilisearch."""

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from meilisearch_python_sdk import AsyncClient
from sqlalchemy import select

from catalog import db
from catalog.products import Product
from search import client, reindex
from search.local_server import LocalMeili
from search.shopper_client import ShopperClient
from search.sync import Sessions
from service.app import create_app
from service.worker import synonyms
from tests.conftest import TODAY, make_settings
from tests.plugins.databases import Templates

Client = AsyncTestClient[Litestar]


async def _build_demo_index(database_url: str, meili_server: LocalMeili, uid: str) -> None:
    engine = db.create_engine(database_url)
    meili = client.make_client(meili_server.url, meili_server.master_key)
    try:
        await reindex.rebuild(db.session_factory(engine), meili, uid, on=TODAY, synonyms=synonyms())
    finally:
        await meili.aclose()
        await engine.dispose()


@pytest.fixture(scope="session")
def demo_index(meili_server: LocalMeili, db_templates: Templates) -> Iterator[str]:
    """The demo catalog indexed once per session on TODAY, for tests that only read (ids match on both backends)."""
    uid = f"t_demo_{secrets.token_hex(4)}_products"
    url = db_templates.copy("sqlite", "demo")
    try:
        asyncio.run(_build_demo_index(url, meili_server, uid))
        yield uid
    finally:
        db_templates.drop(url)
        if not meili_server.is_running():
            meili_server.start()
        with httpx.Client(base_url=meili_server.url, headers=meili_server.headers, timeout=10.0) as http:
            http.delete(f"/indexes/{uid}")


@pytest.fixture
def own_index(meili_prefix: str) -> str:
    """A products index private to the test (deleted afterwards)."""
    return f"{meili_prefix}products"


@pytest.fixture
async def meili(meili_server: LocalMeili) -> AsyncIterator[AsyncClient]:
    """A client of the session's Meilisearch."""
    meili = client.make_client(meili_server.url, meili_server.master_key)
    yield meili
    await meili.aclose()


@pytest.fixture
async def shopper(meili_server: LocalMeili) -> AsyncIterator[ShopperClient]:
    """The shoppers' search client of the session's Meilisearch (master key: tests make their own indexes)."""
    shopper = ShopperClient(meili_server.url, meili_server.master_key, timeout_s=client.SHOPPER_TIMEOUT_S)
    yield shopper
    await shopper.aclose()


@pytest.fixture
async def sessions(demo_db_url: str) -> AsyncIterator[Sessions]:
    """A session factory on the test's private demo database."""
    engine = db.create_engine(demo_db_url)
    yield db.session_factory(engine)
    await engine.dispose()


def search_app(database_url: str, meili_server: LocalMeili, index_uid: str, *, worker: bool = False) -> Litestar:
    """The app on the fixed day, searching `index_uid` on the session's Meilisearch."""
    settings = make_settings(
        database_url,
        meili_url=meili_server.url,
        meili_master_key=meili_server.master_key,
        meili_index=index_uid,
        sync_worker=worker,
    )
    return create_app(settings, today=lambda: TODAY)


@pytest.fixture
async def api(demo_db_url: str, meili_server: LocalMeili, demo_index: str) -> AsyncIterator[Client]:
    """An HTTP client of an app searching the shared demo index."""
    async with AsyncTestClient(search_app(demo_db_url, meili_server, demo_index)) as c:
        yield c


async def product_id(sessions: Sessions, code: str) -> int:
    """A demo product's id by its seed code (P001…)."""
    async with sessions() as session:
        found = await session.scalar(select(Product.id).where(Product.code == code))  # type: ignore[arg-type]
    assert found is not None, code
    return found


async def search(http: Client, *, degraded: bool = False, **params: Any) -> dict[str, Any]:
    """GET /api/v1/search (100 per page), checking the status and whether the SQL fallback answered."""
    response = await http.get("/api/v1/search", params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["degraded"] is degraded
    return body


def names(body: dict[str, Any]) -> list[str]:
    """The Vietnamese names of a search answer's hits, in order."""
    return [hit["name_vi"] for hit in body["hits"]]
