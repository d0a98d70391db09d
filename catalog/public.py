"""What the public may read: published products, their producers, stores and label schemes."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog.categories import Category, OcopGroup
from catalog.errors import NotFound
from catalog.labels import LabelScheme
from catalog.pagination import Paginated, paginate
from catalog.producers import Producer
from catalog.products import Product, ProductStatus
from catalog.stores import Listing, Store
from catalog.tags import ShelfTag, normalise_code


@dataclass(frozen=True)
class ProductFilter:
    """Narrowing of the public product list; every field optional."""

    category: str | None = None
    producer_id: int | None = None
    store_id: int | None = None
    gtin: str | None = None


def _published() -> Any:
    return select(Product).where(col(Product.status) == ProductStatus.PUBLISHED)


async def list_products(session: AsyncSession, filters: ProductFilter, page: int, per_page: int) -> Paginated[Product]:
    """Published products, oldest first so pages are stable."""
    query = _published()
    if filters.category:
        query = query.where(col(Product.category_code) == filters.category)
    if filters.producer_id:
        query = query.where(col(Product.producer_id) == filters.producer_id)
    if filters.gtin:
        query = query.where(col(Product.gtin) == filters.gtin)
    if filters.store_id:
        query = query.where(
            col(Product.id).in_(
                select(Listing.product_id).where(col(Listing.store_id) == filters.store_id, col(Listing.active))
            )
        )
    return await paginate(session, query.order_by(col(Product.id)), page, per_page)


async def get_product(session: AsyncSession, product_id: int) -> Product:
    """One published product, or NotFound."""
    product = await session.scalar(_published().where(col(Product.id) == product_id))
    if product is None:
        raise NotFound(f"no published product with id {product_id}", field="product_id")
    return product


async def published_in_order(session: AsyncSession, product_ids: Sequence[int]) -> list[Product]:
    """The published products with these ids, in the order given (a search engine's ranking)."""
    if not product_ids:
        return []
    rows = await session.execute(_published().where(col(Product.id).in_(product_ids)))
    by_id = {p.id: p for p in rows.scalars()}
    return [by_id[i] for i in product_ids if i in by_id]


async def get_product_by_slug(session: AsyncSession, slug: str) -> Product:
    """One published product by its URL slug, or NotFound."""
    product = await session.scalar(_published().where(col(Product.slug) == slug))
    if product is None:
        raise NotFound(f"no published product {slug!r}", field="slug")
    return product


async def get_product_by_gtin(session: AsyncSession, gtin14: str) -> Product:
    """One published product by its GTIN-14, or NotFound."""
    product = await session.scalar(_published().where(col(Product.gtin) == gtin14))
    if product is None:
        raise NotFound(f"no published product with GTIN {gtin14}", field="gtin")
    return product


async def listings_of_product(session: AsyncSession, product_id: int) -> list[tuple[Listing, Store]]:
    """Where a product can be bought: active listings with their stores."""
    rows = await session.execute(
        select(Listing, Store)
        .join(Store, col(Store.id) == col(Listing.store_id))
        .where(col(Listing.product_id) == product_id, col(Listing.active))
        .order_by(col(Store.name))
    )
    return [(listing, store) for listing, store in rows.tuples()]


async def listings_of_store(session: AsyncSession, store_id: int) -> list[tuple[Listing, Product]]:
    """What a store stocks: its active listings of published products, by name."""
    rows = await session.execute(
        select(Listing, Product)
        .join(Product, col(Product.id) == col(Listing.product_id))
        .where(
            col(Listing.store_id) == store_id,
            col(Listing.active),
            col(Product.status) == ProductStatus.PUBLISHED,
        )
        .order_by(col(Product.name_vi), col(Product.id))
    )
    return [(listing, product) for listing, product in rows.tuples()]


@dataclass(frozen=True)
class TagTarget:
    """What a scanned shelf tag points at: a published product, in a store's context when it has one."""

    tag: ShelfTag
    product: Product
    store: Store | None


async def get_shelf_tag(session: AsyncSession, code: str) -> TagTarget:
    """The tag behind a scanned or typed code (lower case and look-alikes accepted), or NotFound."""
    normalised = normalise_code(code)
    tag = None if normalised is None else await session.scalar(select(ShelfTag).where(col(ShelfTag.code) == normalised))
    if tag is None:
        raise NotFound(f"no shelf tag {code!r}", field="code")
    product = await session.scalar(_published().where(col(Product.id) == tag.product_id))
    if product is None:
        raise NotFound(f"shelf tag {tag.code} points at no published product", field="code")
    store = await session.get(Store, tag.store_id) if tag.store_id is not None else None
    return TagTarget(tag=tag, product=product, store=store)


async def list_producers(session: AsyncSession, page: int, per_page: int) -> Paginated[Producer]:
    """Producers by name."""
    return await paginate(
        session, select(Producer).order_by(col(Producer.legal_name), col(Producer.id)), page, per_page
    )


async def get_producer(session: AsyncSession, producer_id: int) -> Producer:
    """One producer, or NotFound."""
    producer = await session.get(Producer, producer_id)
    if producer is None:
        raise NotFound(f"no producer with id {producer_id}", field="producer_id")
    return producer


async def get_producer_by_slug(session: AsyncSession, slug: str) -> Producer:
    """One producer by its slug, or NotFound."""
    producer = await session.scalar(select(Producer).where(col(Producer.slug) == slug))
    if producer is None:
        raise NotFound(f"no producer {slug!r}", field="slug")
    return producer


async def list_stores(session: AsyncSession, page: int, per_page: int) -> Paginated[Store]:
    """Stores by name."""
    return await paginate(session, select(Store).order_by(col(Store.name), col(Store.id)), page, per_page)


async def get_store_by_slug(session: AsyncSession, slug: str) -> Store:
    """One store by its slug, or NotFound."""
    store = await session.scalar(select(Store).where(col(Store.slug) == slug))
    if store is None:
        raise NotFound(f"no store {slug!r}", field="slug")
    return store


async def label_schemes(session: AsyncSession) -> Sequence[LabelScheme]:
    """All label schemes by code."""
    return (await session.execute(select(LabelScheme).order_by(col(LabelScheme.code)))).scalars().all()


async def categories(session: AsyncSession) -> Sequence[Category]:
    """All shelf categories by code."""
    return (await session.execute(select(Category).order_by(col(Category.code)))).scalars().all()


async def ocop_groups(session: AsyncSession) -> Sequence[OcopGroup]:
    """All OCOP product groups by code, for forms to choose from."""
    return (await session.execute(select(OcopGroup).order_by(col(OcopGroup.code)))).scalars().all()


async def listings_in_store(session: AsyncSession, store_id: int, product_ids: Sequence[int]) -> dict[int, Listing]:
    """The store's active listings of these products, by product id (for alternatives' price and shelf there)."""
    if not product_ids:
        return {}
    query = select(Listing).where(
        col(Listing.store_id) == store_id, col(Listing.product_id).in_(product_ids), col(Listing.active)
    )
    return {listing.product_id: listing for listing in (await session.execute(query)).scalars()}
