"""Stores, what they stock, and their plastic-bag policy."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import UniqueConstraint
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import audit, outbox, slugs, text
from catalog.clock import utcnow
from catalog.columns import enum_column, utc_datetime
from catalog.errors import CatalogError, NotFound
from catalog.products import Product


class StoreType(StrEnum):
    """Retail formats the plan counts separately."""

    SUPERMARKET = "supermarket"  # siêu thị
    COMMERCIAL_CENTRE = "commercial_centre"  # trung tâm thương mại
    CONVENIENCE_STORE = "convenience_store"  # cửa hàng tiện lợi / thực phẩm
    OCOP_SHOP = "ocop_shop"  # điểm bán OCOP
    MARKET = "market"  # chợ truyền thống


class Store(SQLModel, table=True):
    """A shop that stocks green products and has a plastic-bag policy."""

    id: int | None = Field(default=None, primary_key=True)
    code: str | None = Field(default=None, max_length=20, unique=True)
    slug: str = Field(max_length=100, unique=True)
    name: str = Field(max_length=200)
    chain: str | None = Field(default=None, max_length=120)
    brand: str | None = Field(default=None, max_length=120)
    store_type: StoreType = enum_column(StoreType)
    street: str | None = Field(default=None, max_length=200)
    commune: str | None = Field(default=None, max_length=120)
    province: str = Field(default="Cà Mau", max_length=80)
    legacy_address: str | None = Field(default=None, max_length=300)
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
    version: int = 1
    created_at: datetime = utc_datetime(default_factory=utcnow)
    updated_at: datetime = utc_datetime(default_factory=utcnow)


class Listing(SQLModel, table=True):
    """A store stocks a product, at a price, on a shelf."""

    __table_args__ = (UniqueConstraint("store_id", "product_id", name="uq_listing_store_product"),)

    id: int | None = Field(default=None, primary_key=True)
    store_id: int = Field(foreign_key="store.id", index=True, ondelete="CASCADE")
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    price_vnd: int | None = Field(default=None, ge=0, le=1_000_000_000)
    shelf: str | None = Field(default=None, max_length=60)
    active: bool = True
    illustrative: bool = False
    created_at: datetime = utc_datetime(default_factory=utcnow)
    updated_at: datetime = utc_datetime(default_factory=utcnow)


class StoreDraft(SQLModel):
    """Validated input for a store."""

    code: str | None = Field(default=None, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    chain: str | None = Field(default=None, max_length=120)
    brand: str | None = Field(default=None, max_length=120)
    store_type: StoreType
    street: str | None = Field(default=None, max_length=200)
    commune: str | None = Field(default=None, max_length=120)
    province: str = Field(default="Cà Mau", min_length=1, max_length=80)
    legacy_address: str | None = Field(default=None, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    counts_toward_target: bool = False
    free_hard_to_degrade_bags: bool | None = None
    sells_reusable_bags: bool | None = None
    paper_cartons: bool | None = None
    compostable_bags: bool | None = None
    bag_policy_since: date | None = None
    bag_policy_illustrative: bool = False
    fictional: bool = False

    @field_validator("code", "name", "chain", "brand", "street", "commune", "province", "legacy_address", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> object:
        return text.clean_optional(value) if isinstance(value, str) else value


class ListingDraft(SQLModel):
    """Validated input for a listing."""

    product_id: int = Field(ge=1)
    price_vnd: int | None = Field(default=None, ge=0, le=1_000_000_000)
    shelf: str | None = Field(default=None, max_length=60)
    active: bool = True

    @field_validator("shelf", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> object:
        return text.clean_optional(value) if isinstance(value, str) else value


async def create(session: AsyncSession, draft: StoreDraft, *, actor_id: int | None) -> Store:
    """Add a store with a unique slug, audited."""
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
    if await session.get(Product, draft.product_id) is None:
        raise CatalogError(f"no product with id {draft.product_id}", field="product_id")
    listing = await session.scalar(
        select(Listing).where(col(Listing.store_id) == store_id, col(Listing.product_id) == draft.product_id)
    )
    before = audit.snapshot(listing) if listing else None
    if listing is None:
        listing = Listing.model_validate(
            draft.model_dump(), update={"store_id": store_id, "illustrative": illustrative}
        )
        session.add(listing)
    else:
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
