"""The published catalog as open data: one record per published product, valid labels only, no personal data."""

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog.outbox import Outbox
from catalog.producers import EntityType
from catalog.products import Product, ProductStatus
from catalog.stores import Listing, Store

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
COLUMNS = (
    "id",
    "slug",
    "url",
    "gtin",
    "name_vi",
    "name_en",
    "category",
    "producer_slug",
    "producer_name",
    "producer_commune",
    "producer_province",
    "ocop_stars",
    "labels",
    "plastic_free",
    "hard_to_degrade_plastic",
    "stores",
    "illustrative",
    "fictional",
)


async def generation(session: AsyncSession, on: date) -> str:
    """Changes whenever the catalog is written (every write adds an outbox row) and every day (labels expire)."""
    last = await session.scalar(select(func.max(Outbox.id)))
    published = await session.scalar(
        select(func.count()).select_from(Product).where(col(Product.status) == ProductStatus.PUBLISHED)
    )
    return f"{on.isoformat()}/{last or 0}/{published or 0}"


def producer_name(product: Product) -> str | None:
    """The producer's name, unless it is a household business: then it is often a person's name, so the brand only."""
    producer = product.producer
    if producer.entity_type is EntityType.HOUSEHOLD_BUSINESS:
        return producer.brand
    return producer.legal_name


def record(product: Product, stores: list[str], *, on: date, base_url: str) -> dict[str, Any]:
    """One product as open data on `on`: valid verified labels only; no contact details or people."""
    labels = [
        {
            "scheme": c.scheme_code,
            "kind": c.scheme.kind.value,
            "certificate_no": c.certificate_no,
            "valid_until": c.valid_until.isoformat() if c.valid_until else None,
        }
        for c in product.valid_labels(on)
        if c.ocop_stars is None
    ]
    return {
        "id": product.id,
        "slug": product.slug,
        "url": f"{base_url}/p/{product.slug}",
        "gtin": product.gtin if product.gtin_is_public else None,
        "name_vi": product.name_vi,
        "name_en": product.name_en,
        "category": product.category_code,
        "producer_slug": product.producer.slug,
        "producer_name": producer_name(product),
        "producer_commune": product.producer.commune,
        "producer_province": product.producer.province,
        "ocop_stars": product.ocop_stars(on),
        "labels": labels,
        "plastic_free": product.is_plastic_free if product.packaging else None,
        "hard_to_degrade_plastic": product.has_hard_to_degrade_plastic if product.packaging else None,
        "stores": stores,
        "illustrative": product.illustrative,
        "fictional": product.fictional,
    }


async def records(session: AsyncSession, *, on: date, base_url: str) -> list[dict[str, Any]]:
    """Every published product as an open-data record, by id."""
    products = (
        (
            await session.execute(
                select(Product).where(col(Product.status) == ProductStatus.PUBLISHED).order_by(col(Product.id))
            )
        )
        .unique()
        .scalars()
        .all()
    )
    stocked: dict[int, list[str]] = {}
    rows = await session.execute(
        select(col(Listing.product_id), col(Store.slug))
        .join(Store, col(Store.id) == col(Listing.store_id))
        .where(col(Listing.active).is_(True))
        .order_by(col(Store.slug))
    )
    for product_id, slug in rows.tuples():
        stocked.setdefault(product_id, []).append(slug)
    return [record(p, stocked.get(p.id or 0, []), on=on, base_url=base_url) for p in products]
