"""Stores, what they stock, and their plastic-bag policy."""

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

from pydantic import model_validator
from sqlalchemy import ColumnElement, UniqueConstraint, and_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import audit, outbox, patches, slugs, versions
from catalog.clock import utcnow
from catalog.columns import MINIMUM_ZERO, enum_column, id_field, utc_datetime
from catalog.errors import CatalogError, Conflict, NotFound, StaleVersion
from catalog.pagination import Paginated, paginate
from catalog.products import Product, ProductStatus
from catalog.text import OptionalText, Text

_QUERY_CHUNK = 500


class StoreType(StrEnum):
    """Retail formats the plan counts separately."""

    SUPERMARKET = "supermarket"  # siêu thị
    COMMERCIAL_CENTRE = "commercial_centre"  # trung tâm thương mại
    CONVENIENCE_STORE = "convenience_store"  # cửa hàng tiện lợi / thực phẩm
    OCOP_SHOP = "ocop_shop"  # điểm bán OCOP
    MARKET = "market"  # chợ truyền thống


class StoreBase(SQLModel):
    """A store's fields with their bounds: the table, the draft and the patch all derive from these."""

    code: OptionalText = Field(default=None, max_length=20, unique=True)
    name: Text = Field(min_length=1, max_length=200)
    chain: OptionalText = Field(default=None, max_length=120)
    brand: OptionalText = Field(default=None, max_length=120)
    store_type: StoreType = enum_column(StoreType)
    street: OptionalText = Field(default=None, max_length=200)
    commune: OptionalText = Field(default=None, max_length=120)
    province: Text = Field(default="Cà Mau", min_length=1, max_length=80)
    legacy_address: OptionalText = Field(default=None, max_length=300)
    phone: OptionalText = Field(default=None, max_length=40)
    email: OptionalText = Field(default=None, max_length=200)
    description_vi: OptionalText = Field(default=None, max_length=4000)
    description_en: OptionalText = Field(default=None, max_length=4000)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    counts_toward_target: bool = Field(default=False, description="Counts toward the plan's supermarket target")
    free_hard_to_degrade_bags: bool | None = Field(default=None, description="Still hands out free plastic bags")
    sells_reusable_bags: bool | None = None
    paper_cartons: bool | None = None
    compostable_bags: bool | None = None
    bag_policy_since: date | None = None
    bag_policy_illustrative: bool = False
    fictional: bool = False


class Store(StoreBase, table=True):
    """A shop that stocks green products and has a plastic-bag policy."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, unique=True)
    version: int = 1
    created_at: datetime = utc_datetime(default_factory=utcnow)
    updated_at: datetime = utc_datetime(default_factory=utcnow)


class ListingBase(SQLModel):
    """A listing's fields with their bounds: the table, the draft and the patch all derive from these."""

    product_id: int = id_field(foreign_key="product.id", index=True, ondelete="CASCADE")
    price_vnd: int | None = Field(default=None, ge=0, schema_extra=MINIMUM_ZERO, le=1_000_000_000)
    shelf: OptionalText = Field(default=None, max_length=60)
    active: bool = True


class Listing(ListingBase, table=True):
    """A store stocks a product, at a price, on a shelf."""

    __table_args__ = (UniqueConstraint("store_id", "product_id", name="uq_listing_store_product"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    illustrative: bool = False
    created_at: datetime = utc_datetime(default_factory=utcnow)
    updated_at: datetime = utc_datetime(default_factory=utcnow)


class StoreDraft(StoreBase):
    """Validated input for a store."""

    # Unsaid, it follows the type: Plan 174's target is about supermarkets and commercial centres.
    counts_toward_target: bool | None = None  # type: ignore[assignment]

    @model_validator(mode="after")
    def _target_follows_type(self) -> "StoreDraft":
        if self.counts_toward_target is None:
            self.counts_toward_target = self.store_type in TARGET_TYPES
        return self


# The store types Plan 174's "supermarkets and commercial centres" target counts by default.
TARGET_TYPES = frozenset({StoreType.SUPERMARKET, StoreType.COMMERCIAL_CENTRE})


class ListingDraft(ListingBase):
    """Validated input for a listing."""


async def create(session: AsyncSession, draft: StoreDraft, *, actor_id: int | None) -> Store:
    """Add a store with a unique slug, audited; a taken code is a Conflict."""
    if draft.code is not None and await session.scalar(select(Store.id).where(col(Store.code) == draft.code)):
        raise Conflict(f"store code {draft.code} is taken", field="code")
    store = Store.model_validate(
        draft.model_dump(), update={"slug": await slugs.unique_slug(session, Store.slug, draft.name)}
    )
    session.add(store)
    await session.flush()
    audit.record(
        session, actor_id=actor_id, entity="store", entity_id=store.id, action="create", after=audit.snapshot(store)
    )
    return store


async def upsert_listing(
    session: AsyncSession, store_id: int, draft: ListingDraft, *, actor_id: int | None, illustrative: bool = False
) -> Listing:
    """Stock a product in a store, or update the existing listing; the product's document changes too."""
    if await session.get(Store, store_id) is None:
        raise NotFound(f"no store with id {store_id}", field="store_id")
    product = await session.get(Product, draft.product_id)
    if product is None or product.status is not ProductStatus.PUBLISHED:
        # A store may stock only what the public can see; another producer's draft does not exist for it.
        raise NotFound(f"no published product with id {draft.product_id}", field="product_id")
    listing = await _listing(session, store_id, draft.product_id)
    before = audit.snapshot(listing) if listing else None
    if listing is None:
        try:
            async with session.begin_nested():
                listing = Listing.model_validate(
                    draft.model_dump(), update={"store_id": store_id, "illustrative": illustrative}
                )
                session.add(listing)
        except IntegrityError:
            # A concurrent request listed it first (unique store, product): update that row instead.
            listing = await _listing(session, store_id, draft.product_id)
            if listing is None:
                raise
            before = audit.snapshot(listing)
    if before is not None:
        for name, value in draft.model_dump().items():
            setattr(listing, name, value)
        listing.updated_at = utcnow()
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="listing",
        entity_id=listing.id,
        action="create" if before is None else "update",
        before=before,
        after=audit.snapshot(listing),
    )
    outbox.record_change(session, "product", draft.product_id, outbox.Operation.UPSERT)
    return listing


async def upsert_listings(
    session: AsyncSession, store_id: int, drafts: Sequence[ListingDraft], *, actor_id: int | None
) -> int:
    """`upsert_listing` for many drafts: every read first, then one flush, so SQLite's write lock is held briefly."""
    if await session.get(Store, store_id) is None:
        raise NotFound(f"no store with id {store_id}", field="store_id")
    wanted = {d.product_id for d in drafts}
    known: set[int] = set()
    existing: dict[int, Listing] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), _QUERY_CHUNK):
        chunk = ids[start : start + _QUERY_CHUNK]
        known.update(
            p
            for p in (
                await session.execute(
                    select(Product.id).where(col(Product.id).in_(chunk), col(Product.status) == ProductStatus.PUBLISHED)
                )
            ).scalars()
            if p
        )
        found = await session.execute(
            select(Listing).where(col(Listing.store_id) == store_id, col(Listing.product_id).in_(chunk))
        )
        existing.update({listing.product_id: listing for listing in found.scalars()})
    for draft in drafts:
        if draft.product_id not in known:
            # A store may stock only what the public can see, as upsert_listing says.
            raise CatalogError(f"no published product with id {draft.product_id}", field="product_id")
    changes: list[tuple[Listing, dict[str, object] | None, int]] = []
    for draft in drafts:
        listing = existing.get(draft.product_id)
        before = audit.snapshot(listing) if listing else None
        if listing is None:
            listing = Listing.model_validate(draft.model_dump(), update={"store_id": store_id})
            session.add(listing)
        else:
            for name, value in draft.model_dump().items():
                setattr(listing, name, value)
            listing.updated_at = utcnow()
        changes.append((listing, before, draft.product_id))
    await session.flush()
    for listing, before, product_id in changes:
        audit.record(
            session,
            actor_id=actor_id,
            entity="listing",
            entity_id=listing.id,
            action="create" if before is None else "update",
            before=before,
            after=audit.snapshot(listing),
        )
        outbox.record_change(session, "product", product_id, outbox.Operation.UPSERT)
    await session.flush()
    return len(changes)


async def _listing(session: AsyncSession, store_id: int, product_id: int) -> Listing | None:
    return await session.scalar(
        select(Listing).where(col(Listing.store_id) == store_id, col(Listing.product_id) == product_id)
    )


BAG_POLICY_FIELDS = ("free_hard_to_degrade_bags", "sells_reusable_bags", "paper_cartons", "compostable_bags")


# Set when a store is registered, never patched: its natural key, its province, whether it counts toward the plan's
# target, and whether it (or its demo bag policy) is demo data.
CREATED_ONLY = ("code", "province", "counts_toward_target", "bag_policy_illustrative", "fictional")


class StorePatch(patches.optional(StoreBase, omit=CREATED_ONLY), patches.Versioned):  # type: ignore[misc]
    """A partial update of a store record; `version` must match the stored one."""


class ListingPatch(patches.optional(ListingBase, omit=("product_id",))):  # type: ignore[misc]
    """A change to a listing: price, shelf, or taking it off the shelf."""


async def get(session: AsyncSession, store_id: int) -> Store:
    """One store, or NotFound."""
    store = await session.get(Store, store_id)
    if store is None:
        raise NotFound(f"no store with id {store_id}", field="store_id")
    return store


async def patch(session: AsyncSession, store: Store, changes: StorePatch, *, actor_id: int | None) -> Store:
    """Update a store record if `changes.version` is current; a changed bag policy must say since when."""
    assert store.id is not None
    if changes.version != store.version:
        raise StaleVersion(changes.version, store.version)
    fields = changes.changes()
    if "name" in fields and fields["name"] is None:
        raise CatalogError("name cannot be empty", field="name")
    if "store_type" in fields and fields["store_type"] is None:
        raise CatalogError("store_type cannot be empty", field="store_type")
    policy_changed = any(name in fields and fields[name] != getattr(store, name) for name in BAG_POLICY_FIELDS)
    if policy_changed and fields.get("bag_policy_since") is None:
        raise CatalogError("a changed plastic-bag policy needs the date it took effect", field="bag_policy_since")
    # A form saved unchanged changes nothing: no new version, no audit row. (Restating the date of a demo policy
    # still counts: it makes the policy the store's own statement.)
    fields = {
        name: value
        for name, value in fields.items()
        if getattr(store, name) != value or (name == "bag_policy_since" and store.bag_policy_illustrative)
    }
    if not fields:
        return store
    next_version = await versions.claim_next(session, Store, store.id, changes.version)
    before = audit.snapshot(store)
    for name, value in fields.items():
        setattr(store, name, value)
    if policy_changed or "bag_policy_since" in fields:
        # The store now states its own policy; the demo's illustrative flag no longer applies.
        store.bag_policy_illustrative = False
    store.version = next_version
    store.updated_at = utcnow()
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="store",
        entity_id=store.id,
        action="update",
        before=before,
        after=audit.snapshot(store),
    )
    return store


async def get_listing(session: AsyncSession, store_id: int, listing_id: int) -> Listing:
    """One of a store's listings, or NotFound (a listing id of another store is not found here)."""
    listing = await session.get(Listing, listing_id)
    if listing is None or listing.store_id != store_id:
        raise NotFound(f"store {store_id} has no listing {listing_id}", field="listing_id")
    return listing


async def patch_listing(
    session: AsyncSession, listing: Listing, changes: ListingPatch, *, actor_id: int | None
) -> Listing:
    """Change a listing's price or shelf, or take it off (active false); the product's document changes too."""
    fields = changes.model_dump(exclude_unset=True)
    if "active" in fields and fields["active"] is None:
        raise CatalogError("active must be true or false", field="active")
    before = audit.snapshot(listing)
    for name, value in fields.items():
        setattr(listing, name, value)
    listing.updated_at = utcnow()
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="listing",
        entity_id=listing.id,
        action="deactivate" if fields == {"active": False} else "update",
        before=before,
        after=audit.snapshot(listing),
    )
    outbox.record_change(session, "product", listing.product_id, outbox.Operation.UPSERT)
    return listing


def on_sale() -> ColumnElement[bool]:
    """A listing a shopper can buy from: active, of a published product (the query joins Product)."""
    return and_(col(Listing.active), col(Product.status) == ProductStatus.PUBLISHED)


async def listings_of_store(
    session: AsyncSession, store_id: int, *, on_sale_only: bool = False
) -> list[tuple[Listing, Product]]:
    """A store's listings with their products, by name: every one, active or not, for the store's own view and
    export; with `on_sale_only`, what a shopper can buy there."""
    query = (
        select(Listing, Product)
        .join(Product, col(Product.id) == col(Listing.product_id))
        .where(col(Listing.store_id) == store_id)
        .order_by(col(Product.name_vi), col(Product.id))
    )
    if on_sale_only:
        query = query.where(on_sale())
    rows = await session.execute(query)
    return [(listing, product) for listing, product in rows.tuples()]


async def listings_of_product(session: AsyncSession, product_id: int) -> list[tuple[Listing, Store]]:
    """Where a product can be bought: active listings with their stores, by store name."""
    rows = await session.execute(
        select(Listing, Store)
        .join(Store, col(Store.id) == col(Listing.store_id))
        .where(col(Listing.product_id) == product_id, col(Listing.active))
        .order_by(col(Store.name))
    )
    return [(listing, store) for listing, store in rows.tuples()]


async def listings_in_store(session: AsyncSession, store_id: int, product_ids: Sequence[int]) -> dict[int, Listing]:
    """The store's active listings of these products, by product id (for alternatives' price and shelf there)."""
    if not product_ids:
        return {}
    query = select(Listing).where(
        col(Listing.store_id) == store_id, col(Listing.product_id).in_(product_ids), col(Listing.active)
    )
    return {listing.product_id: listing for listing in (await session.execute(query)).scalars()}


async def list_all(session: AsyncSession, page: int, per_page: int) -> Paginated[Store]:
    """Stores by name."""
    return await paginate(session, select(Store).order_by(col(Store.name), col(Store.id)), page, per_page)


async def get_by_slug(session: AsyncSession, slug: str) -> Store:
    """One store by its slug, or NotFound."""
    store = await session.scalar(select(Store).where(col(Store.slug) == slug))
    if store is None:
        raise NotFound(f"no store {slug!r}", field="slug")
    return store
