"""A full reindex builds a fresh index and swaps it in while searches keep being answered."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from meilisearch_python_sdk import AsyncClient

from catalog import products
from catalog.products import Product, ProductPatch
from search import index, reindex, sync
from search.local_server import LocalMeili
from search.sync import Sessions
from service.worker import synonyms
from tests.conftest import TODAY
from tests.search.conftest import product_id, search_app

pytestmark = pytest.mark.meili


async def test_every_search_succeeds_while_the_reindex_command_swaps_the_index(
    demo_db_url: str, meili_server: LocalMeili, meili: AsyncClient, own_index: str, sessions: Sessions
) -> None:
    await reindex.rebuild(sessions, meili, own_index, on=TODAY, synonyms=synonyms())
    before = {i.uid for i in await meili.get_indexes() or []}
    environment = {
        **os.environ,
        "GREENSHELF_DATABASE_URL": demo_db_url,
        "GREENSHELF_MEILI_URL": meili_server.url,
        "GREENSHELF_MEILI_MASTER_KEY": meili_server.master_key,
        "GREENSHELF_MEILI_INDEX": own_index,
    }
    async with AsyncTestClient(search_app(demo_db_url, meili_server, own_index)) as http:
        # Its own process, as in production: the test client blocks this loop while a request runs.
        command = subprocess.Popen(  # noqa: ASYNC220 (polled, never awaited: see above)
            [str(Path(sys.executable).with_name("greenshelf")), "search", "reindex"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        answered = 0
        while command.poll() is None:
            body = (await http.get("/api/v1/search", params={"q": "nuoc mam"})).json()
            assert body["degraded"] is False
            assert body["hits"][0]["name_vi"].startswith("Nước mắm"), body
            answered += 1
    output = command.communicate()[0].decode()
    assert command.returncode == 0, output
    assert "reindexed 78 products" in output
    assert answered > 0
    assert (await meili.index(own_index).get_stats()).number_of_documents == 78
    assert {i.uid for i in await meili.get_indexes() or []} == before, "the swapped-out index was deleted"


async def test_a_change_made_during_a_reindex_is_not_lost(
    meili: AsyncClient, own_index: str, sessions: Sessions
) -> None:
    await index.apply(meili, own_index, synonyms())
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    honey_id = await product_id(sessions, "P065")
    filled = asyncio.Event()

    async def change_honey_while_the_fresh_index_fills() -> None:
        await filled.wait()
        async with sessions() as session, session.begin():
            honey = await session.get(Product, honey_id)
            assert honey is not None
            await products.patch(
                session, honey, ProductPatch(version=honey.version, name_en="U Minh honey, renamed"), actor_id=None
            )
        await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")

    changing = asyncio.create_task(change_honey_while_the_fresh_index_fills())
    await reindex.rebuild(sessions, meili, own_index, on=TODAY, synonyms=synonyms(), progress=lambda *_: filled.set())
    await changing
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    document = await meili.index(own_index).get_document(str(honey_id))
    assert document["name_en"] == "U Minh honey, renamed"
