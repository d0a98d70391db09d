"""Stores: public reads; the store record and its listings are changed by the store's account or an admin."""

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, stores
from catalog.accounts import Account, Role
from catalog.pagination import Paginated
from catalog.stores import ListingDraft, ListingPatch, StoreDraft, StorePatch
from service import auth
from service.api.ids import PathId
from service.api.shapes import ListingOut, StoreOut
from service.pagination import PageNumber, PerPage

STORE_OR_ADMIN = [auth.requires(Role.STORE, Role.ADMIN)]


class StoreController(Controller):
    """Stores, their plastic-bag policies and what they stock."""

    path = "/stores"
    tags = ["stores"]

    @get("/", operation_id="listStores")
    async def list_stores(
        self, db_session: NamedDependency[AsyncSession], page: PageNumber = 1, per_page: PerPage = 20
    ) -> Paginated[StoreOut]:
        """Stores by name."""
        return (await stores.list_all(db_session, page, per_page)).map(StoreOut.of)

    @get("/{store_id:int}", operation_id="getStore")
    async def get_store(self, store_id: PathId, db_session: NamedDependency[AsyncSession]) -> StoreOut:
        """One store."""
        return StoreOut.of(await stores.get(db_session, store_id))

    @post("/", operation_id="createStore", guards=[auth.requires(Role.ADMIN)], security=auth.SECURITY)
    async def create_store(
        self, data: JSONBody[StoreDraft], account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
    ) -> StoreOut:
        """Register a store (admins); its own account then keeps it current."""
        return StoreOut.of(await stores.create(db_session, data, actor_id=account.id))

    @patch("/{store_id:int}", operation_id="patchStore", guards=STORE_OR_ADMIN, security=auth.SECURITY)
    async def patch_store(
        self,
        store_id: PathId,
        data: JSONBody[StorePatch],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> StoreOut:
        """Change the store record; a changed plastic-bag policy needs `bag_policy_since`; stale `version` is 409."""
        access.require_can_manage_store(account, store_id)
        store = await stores.get(db_session, store_id)
        return StoreOut.of(await stores.patch(db_session, store, data, actor_id=account.id))

    @post("/{store_id:int}/listings", operation_id="createListing", guards=STORE_OR_ADMIN, security=auth.SECURITY)
    async def create_listing(
        self,
        store_id: PathId,
        data: JSONBody[ListingDraft],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> ListingOut:
        """Stock a product (or update the listing the store already has for it)."""
        access.require_can_manage_store(account, store_id)
        return ListingOut.of(await stores.upsert_listing(db_session, store_id, data, actor_id=account.id))

    @patch(
        "/{store_id:int}/listings/{listing_id:int}",
        operation_id="patchListing",
        guards=STORE_OR_ADMIN,
        security=auth.SECURITY,
    )
    async def patch_listing(
        self,
        store_id: PathId,
        listing_id: PathId,
        data: JSONBody[ListingPatch],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> ListingOut:
        """Change a listing's price or shelf, or put it back on the shelf (`active`)."""
        access.require_can_manage_store(account, store_id)
        listing = await stores.get_listing(db_session, store_id, listing_id)
        return ListingOut.of(await stores.patch_listing(db_session, listing, data, actor_id=account.id))

    @delete(
        "/{store_id:int}/listings/{listing_id:int}",
        operation_id="deactivateListing",
        guards=STORE_OR_ADMIN,
        security=auth.SECURITY,
    )
    async def deactivate_listing(
        self,
        store_id: PathId,
        listing_id: PathId,
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> None:
        """Take a product off the shelf; the listing is kept (inactive) for the audit trail and can come back."""
        access.require_can_manage_store(account, store_id)
        listing = await stores.get_listing(db_session, store_id, listing_id)
        await stores.patch_listing(db_session, listing, ListingPatch(active=False), actor_id=account.id)
