"""Shelf tags: short random codes printed as QR codes on shelves."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Index, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import audit, products, stores
from catalog.clock import utcnow
from catalog.columns import id_field, utc_datetime
from catalog.errors import CatalogError, Conflict, NotFound
from catalog.products import Product, ProductStatus
from catalog.stores import Listing, Store

# Crockford base32: no I, L, O or U, so a code read aloud or typed from a blurred label is unambiguous.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# 32**8 codes make a clash vanishingly rare; a handful of retries turns "rare" into "never" without looping forever.
CODE_ATTEMPTS = 8


class ShelfTag(SQLModel, table=True):
    """A printed tag for a product, optionally in one store's context: one per (product, store) and one per
    product without a store, held by the database (two partial unique indexes, since NULLs never clash)."""

    __tablename__ = "shelf_tag"
    __table_args__ = (
        Index(
            "uq_shelf_tag_product_store",
            "product_id",
            "store_id",
            unique=True,
            sqlite_where=text("store_id IS NOT NULL"),
            postgresql_where=text("store_id IS NOT NULL"),
        ),
        Index(
            "uq_shelf_tag_product_no_store",
            "product_id",
            unique=True,
            sqlite_where=text("store_id IS NULL"),
            postgresql_where=text("store_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=CODE_LENGTH, unique=True)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    store_id: int | None = Field(default=None, foreign_key="store.id", index=True, ondelete="CASCADE")
    created_at: datetime = utc_datetime(default_factory=utcnow)
    # When a store last asked to print this tag: "tags not yet printed" are those without it.
    printed_at: datetime | None = utc_datetime(nullable=True, default=None)

    def url(self, base_url: str) -> str:
        """The absolute URL the printed QR code carries."""
        return f"{base_url}{public_path(self.code)}"


class TagDraft(SQLModel):
    """Validated input for a tag: a product, optionally in one store's context."""

    product_id: int = id_field()
    store_id: int | None = id_field(default=None)


def new_code(rng: random.Random) -> str:
    """Eight Crockford base32 characters: short to print, no I/L/O/U to misread."""
    return "".join(rng.choice(CROCKFORD) for _ in range(CODE_LENGTH))


def public_path(code: str) -> str:
    """The path a printed tag points at; the host comes from the service's settings."""
    return f"/t/{code}"


def normalise_code(value: str) -> str | None:
    """Upper-case a scanned or typed code and map Crockford's look-alikes; None if it cannot be a code."""
    code = value.strip().upper().translate(str.maketrans({"I": "1", "L": "1", "O": "0"}))
    if len(code) != CODE_LENGTH or any(ch not in CROCKFORD for ch in code):
        return None
    return code


async def issue(
    session: AsyncSession, product_id: int, store_id: int | None, *, rng: random.Random, actor_id: int | None
) -> tuple[ShelfTag, bool]:
    """The tag for a product (in a store, if given), made on first request; True when it was just made."""
    product = await session.get(Product, product_id)
    if product is None:
        raise CatalogError(f"no product with id {product_id}", field="product_id")
    if product.status is not ProductStatus.PUBLISHED:
        raise Conflict(f"product {product_id} is not published; a printed tag would lead nowhere", field="product_id")
    if store_id is not None:
        if await session.get(Store, store_id) is None:
            raise CatalogError(f"no store with id {store_id}", field="store_id")
        listed = await session.scalar(
            select(Listing.id).where(
                col(Listing.store_id) == store_id, col(Listing.product_id) == product_id, col(Listing.active)
            )
        )
        if listed is None:
            raise Conflict(f"store {store_id} does not stock product {product_id}; add a listing first", "product_id")
    return await _find_or_create(session, product_id, store_id, rng=rng, actor_id=actor_id)


async def issue_for_store(
    session: AsyncSession, store_id: int, *, rng: random.Random, actor_id: int | None
) -> list[tuple[ShelfTag, bool]]:
    """Tags for every active listing of a published product in a store, making the missing ones."""
    if await session.get(Store, store_id) is None:
        raise NotFound(f"no store with id {store_id}", field="store_id")
    listed = await session.scalars(
        select(Listing.product_id)
        .join(Product, col(Product.id) == col(Listing.product_id))
        .where(col(Listing.store_id) == store_id, stores.on_sale())
        .order_by(col(Listing.product_id))
    )
    existing = {
        tag.product_id: tag for tag in await session.scalars(select(ShelfTag).where(col(ShelfTag.store_id) == store_id))
    }
    issued: list[tuple[ShelfTag, bool]] = []
    for product_id in listed:
        if product_id in existing:
            issued.append((existing[product_id], False))
        else:
            issued.append(await _find_or_create(session, product_id, store_id, rng=rng, actor_id=actor_id))
    return issued


async def get_by_code(session: AsyncSession, code: str) -> ShelfTag:
    """The tag a scanned or typed code names (lower case and look-alikes accepted), or NotFound."""
    normal = normalise_code(code)
    tag = await session.scalar(select(ShelfTag).where(col(ShelfTag.code) == normal)) if normal else None
    if tag is None:
        raise NotFound(f"no shelf tag {code!r}", field="code")
    return tag


@dataclass(frozen=True)
class TagTarget:
    """What a scanned shelf tag points at: a published product, in a store's context when it has one."""

    tag: ShelfTag
    product: Product
    store: Store | None


async def scan_target(session: AsyncSession, code: str) -> TagTarget:
    """Where a scanned or typed code leads a shopper: its tag, the tag's published product and store, or NotFound."""
    tag = await get_by_code(session, code)
    product = await session.scalar(products.published().where(col(Product.id) == tag.product_id))
    if product is None:
        raise NotFound(f"shelf tag {tag.code} points at no published product", field="code")
    store = await session.get(Store, tag.store_id) if tag.store_id is not None else None
    return TagTarget(tag=tag, product=product, store=store)


async def store_sheet(
    session: AsyncSession, store_id: int, *, codes: Sequence[str] | None = None, only_new: bool = False
) -> list[tuple[ShelfTag, Product, Listing]]:
    """What a store's tag sheet prints, in shelf order: its existing tags (only `codes`, or only never printed ones).

    Reading only: a sheet never issues tags; missing ones are issued by `issue_for_store` first.
    """
    if await session.get(Store, store_id) is None:
        raise NotFound(f"no store with id {store_id}", field="store_id")
    query = (
        select(ShelfTag, Product, Listing)
        .join(Product, col(Product.id) == col(ShelfTag.product_id))
        .join(
            Listing,
            (col(Listing.product_id) == col(ShelfTag.product_id)) & (col(Listing.store_id) == col(ShelfTag.store_id)),
        )
        .where(col(ShelfTag.store_id) == store_id, stores.on_sale())
        .order_by(col(Listing.shelf), col(Product.name_vi), col(ShelfTag.id))
    )
    if codes is not None:
        wanted = [normalise_code(code) for code in codes]
        bad = [code for code, normal in zip(codes, wanted, strict=True) if normal is None]
        if bad:
            raise CatalogError(f"not a shelf tag code: {bad[0]!r}", field="codes")
        query = query.where(col(ShelfTag.code).in_(wanted))
    if only_new:
        query = query.where(col(ShelfTag.printed_at).is_(None))
    rows = await session.execute(query)
    found = [(tag, product, listing) for tag, product, listing in rows.tuples()]
    if codes is not None:
        missing = sorted({normalise_code(code) for code in codes} - {tag.code for tag, _, _ in found})
        if missing:
            raise NotFound(f"store {store_id} has no active tag {missing[0]}", field="codes")
    return found


async def mark_printed(
    session: AsyncSession, store_id: int, codes: Sequence[str], *, actor_id: int | None
) -> list[ShelfTag]:
    """Record that a store printed these tags, so "only tags not yet printed" leaves them out next time."""
    found = await store_sheet(session, store_id, codes=codes)
    now = utcnow()
    for tag, _, _ in found:
        tag.printed_at = now
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="store",
        entity_id=store_id,
        action="print_tags",
        after={"codes": sorted(tag.code for tag, _, _ in found)},
    )
    return [tag for tag, _, _ in found]


async def _find(session: AsyncSession, product_id: int, store_id: int | None) -> ShelfTag | None:
    # `store_id = NULL` is never true in SQL, and a unique constraint lets NULLs repeat on both SQLite and
    # PostgreSQL, so "one tag per product without a store" is kept here, with IS NULL.
    store = col(ShelfTag.store_id).is_(None) if store_id is None else col(ShelfTag.store_id) == store_id
    return await session.scalar(
        select(ShelfTag).where(col(ShelfTag.product_id) == product_id, store).order_by(col(ShelfTag.id)).limit(1)
    )


async def _find_or_create(
    session: AsyncSession, product_id: int, store_id: int | None, *, rng: random.Random, actor_id: int | None
) -> tuple[ShelfTag, bool]:
    """The existing tag, or a new one; a concurrent request that made it first wins and its tag is answered."""
    existing = await _find(session, product_id, store_id)
    if existing is not None:
        return existing, False
    try:
        async with session.begin_nested():
            return await _create(session, product_id, store_id, rng=rng, actor_id=actor_id), True
    except IntegrityError:
        existing = await _find(session, product_id, store_id)
        if existing is None:
            raise
        return existing, False


async def _create(
    session: AsyncSession, product_id: int, store_id: int | None, *, rng: random.Random, actor_id: int | None
) -> ShelfTag:
    for _ in range(CODE_ATTEMPTS):
        code = new_code(rng)
        if await session.scalar(select(ShelfTag.id).where(col(ShelfTag.code) == code)) is None:
            break
    else:
        raise Conflict(f"no free tag code after {CODE_ATTEMPTS} attempts", field="code")
    tag = ShelfTag(code=code, product_id=product_id, store_id=store_id)
    session.add(tag)
    await session.flush()
    # Tags do not change what search shows, so no outbox row; the audit log still records who printed what.
    audit.record(
        session, actor_id=actor_id, entity="shelf_tag", entity_id=tag.id, action="create", after=audit.snapshot(tag)
    )
    return tag
