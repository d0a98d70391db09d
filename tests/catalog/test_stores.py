from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import stores
from catalog.audit import AuditEntry
from catalog.errors import CatalogError, StaleVersion
from catalog.stores import Listing, ListingPatch, Store, StorePatch


async def _store(session: AsyncSession) -> Store:
    store = await session.scalar(select(Store).where(col(Store.code) == "ST01"))
    assert store is not None
    return store


async def test_a_changed_bag_policy_needs_the_day_it_took_effect(session: AsyncSession) -> None:
    with pytest.raises(CatalogError) as error:
        async with session.begin():
            store = await _store(session)
            await stores.patch(session, store, StorePatch(version=1, free_hard_to_degrade_bags=True), actor_id=None)
    assert error.value.field == "bag_policy_since"


async def test_a_store_records_its_own_bag_policy_which_is_no_longer_illustrative(session: AsyncSession) -> None:
    async with session.begin():
        store = await _store(session)
        assert store.bag_policy_illustrative
        changes = StorePatch(version=1, free_hard_to_degrade_bags=False, bag_policy_since=date(2026, 6, 5))
        await stores.patch(session, store, changes, actor_id=None)
    assert store.version == 2
    assert store.bag_policy_since == date(2026, 6, 5)
    assert not store.bag_policy_illustrative


async def test_a_stale_store_version_is_refused(session: AsyncSession) -> None:
    async with session.begin():
        await stores.patch(
            session, await _store(session), StorePatch(version=1, name="Co.opmart Cà Mau mới"), actor_id=None
        )
    with pytest.raises(StaleVersion) as error:
        async with session.begin():
            await stores.patch(session, await _store(session), StorePatch(version=1, chain="Co.op"), actor_id=None)
    assert error.value.current == 2


async def test_a_store_record_saved_unchanged_keeps_its_version(session: AsyncSession) -> None:
    async with session.begin():
        store = await _store(session)
        same = StorePatch(version=store.version, name=store.name, commune=store.commune)
        assert (await stores.patch(session, store, same, actor_id=None)).version == 1


async def test_taking_a_listing_off_the_shelf_is_audited_as_a_deactivation(session: AsyncSession) -> None:
    async with session.begin():
        store = await _store(session)
        listing = await session.scalar(select(Listing).where(col(Listing.store_id) == store.id))
        assert listing is not None
        await stores.patch_listing(session, listing, ListingPatch(active=False), actor_id=None)
    assert listing.active is False
    actions = (
        await session.execute(
            select(AuditEntry.action).where(
                col(AuditEntry.entity) == "listing", col(AuditEntry.entity_id) == listing.id
            )
        )
    ).scalars()
    assert "deactivate" in set(actions)


async def test_a_listing_of_another_store_is_not_found_under_this_one(session: AsyncSession) -> None:
    store = await _store(session)
    other = await session.scalar(select(Listing).where(col(Listing.store_id) != store.id))
    assert other is not None and store.id is not None and other.id is not None
    with pytest.raises(CatalogError):
        await stores.get_listing(session, store.id, other.id)
