"""Outbox races: parked rows, leases running out, and a reindex meeting a change that commits late."""

from datetime import timedelta

import pytest
from meilisearch_python_sdk import AsyncClient
from sqlalchemy import select
from sqlmodel import col

from catalog import products
from catalog.clock import utcnow
from catalog.outbox import Outbox
from catalog.products import Product, ProductPatch
from search import index, reindex, sync
from search.sync import Sessions
from service.worker import synonyms
from tests.conftest import TODAY
from tests.search.conftest import product_id

pytestmark = pytest.mark.meili


async def rename(sessions: Sessions, pid: int, name_en: str) -> None:
    """Rename a product in its own committed transaction, as a PATCH request would."""
    async with sessions() as session, session.begin():
        product = await session.get(Product, pid)
        assert product is not None
        await products.patch(session, product, ProductPatch(version=product.version, name_en=name_en), actor_id=None)


async def open_rows(sessions: Sessions, pid: int) -> list[Outbox]:
    async with sessions() as session:
        found = await session.execute(select(Outbox).where(col(Outbox.entity_id) == pid, col(Outbox.done_at).is_(None)))
    return list(found.scalars())


async def indexed_name(meili: AsyncClient, uid: str, pid: int) -> str:
    return (await meili.index(uid).get_document(str(pid)))["name_en"]


async def test_a_parked_row_does_not_hold_back_a_newer_change_of_the_same_product(
    meili: AsyncClient, own_index: str, sessions: Sessions
) -> None:
    await index.apply(meili, own_index, synonyms())
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    honey = await product_id(sessions, "P065")
    await rename(sessions, honey, "U Minh honey, first try")
    claimed = await sync.claim(sessions, "w1")
    assert [r.entity_id for r in claimed] == [honey]
    # Meilisearch refused it: parked for an hour.
    await sync.release(sessions, "w1", [r.id for r in claimed], "refused", retry_at=utcnow() + timedelta(hours=1))

    await rename(sessions, honey, "U Minh honey, second try")
    report = await sync.run_once(sessions, meili, own_index, on=TODAY, worker_id="w2")

    assert set(report.rows) >= {r.id for r in claimed}, "the parked row went along with the newer one"
    assert await open_rows(sessions, honey) == []
    assert await indexed_name(meili, own_index, honey) == "U Minh honey, second try"


async def test_a_worker_whose_lease_runs_out_sends_nothing_and_the_next_worker_sends_the_change(
    meili: AsyncClient, own_index: str, sessions: Sessions
) -> None:
    await index.apply(meili, own_index, synonyms())
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    honey = await product_id(sessions, "P065")
    await rename(sessions, honey, "U Minh honey, renamed")

    # A worker whose lease has run out by the time it could send (here: a lease of no time at all) sends nothing.
    late = await sync.run_once(sessions, meili, own_index, on=TODAY, worker_id="slow", lease=timedelta(0))
    assert late.claimed and late.rows == []
    assert await indexed_name(meili, own_index, honey) != "U Minh honey, renamed"
    assert all(row.claimed_by is None for row in await open_rows(sessions, honey)), "returned, not left leased"

    prompt = await sync.run_once(sessions, meili, own_index, on=TODAY, worker_id="prompt")
    assert prompt.rows
    assert await open_rows(sessions, honey) == []
    assert await indexed_name(meili, own_index, honey) == "U Minh honey, renamed"


async def test_reindex_keeps_a_change_with_a_lower_id_that_commits_after_the_fresh_index_read_it(
    meili: AsyncClient, own_index: str, sessions: Sessions, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite serialises writers, so ids are drawn in commit order")
    await index.apply(meili, own_index, synonyms())
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    honey, fish = await product_id(sessions, "P065"), await product_id(sessions, "P001")

    async with sessions() as late, late.begin():
        product = await late.get(Product, honey)
        assert product is not None
        await products.patch(late, product, ProductPatch(version=product.version, name_en="Late honey"), actor_id=None)
        await late.flush()  # draws the lower outbox id now, commits only after the fresh index was read
        await rename(sessions, fish, "Early fish")  # a higher id, committed first
        build = await reindex.fill(sessions, meili, own_index, on=TODAY, synonyms=synonyms())
    # The late change reaches the worker, which sends it to the index about to be swapped out.
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    await reindex.swap_in(sessions, meili, build)
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")

    assert await indexed_name(meili, own_index, honey) == "Late honey"
    assert await indexed_name(meili, own_index, fish) == "Early fish"


async def test_finished_outbox_rows_older_than_the_retention_are_pruned_and_open_ones_kept(
    meili: AsyncClient, own_index: str, sessions: Sessions
) -> None:
    await index.apply(meili, own_index, synonyms())
    await sync.drain(sessions, meili, own_index, on=TODAY, worker_id="w1")
    honey = await product_id(sessions, "P065")
    await rename(sessions, honey, "U Minh honey, pending")
    async with sessions() as session:
        finished = len(
            list((await session.execute(select(Outbox.id).where(col(Outbox.done_at).is_not(None)))).scalars())
        )
    assert finished

    assert await sync.prune_done(sessions, before=utcnow() - timedelta(days=30)) == 0, "nothing is old enough yet"
    assert await sync.prune_done(sessions, before=utcnow() + timedelta(seconds=1)) == finished
    async with sessions() as session:
        left = list((await session.execute(select(Outbox))).scalars())
    assert [(r.entity_id, r.done_at) for r in left] == [(honey, None)]
