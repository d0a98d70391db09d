"""The search document of a product: what a shopper may be told on a given day, flattened for Meilisearch."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import greenness
from catalog.categories import Category
from catalog.labels import OCOP, SchemeKind
from catalog.products import Product, ProductStatus
from catalog.stores import Listing
from catalog.substitutes import SubstituteGroup
from search import diacritics


def product_document(
    product: Product,
    on: date,
    store_ids: Iterable[int],
    category: Category | None,
    group: SubstituteGroup | None = None,
) -> dict[str, Any] | None:
    """The document for `product` as of `on`, or None when it must not be in the index (not published)."""
    # Meilisearch cannot filter on expiry dates, so the document carries only labels valid on `on`; the daily
    # refresh in search.sync re-indexes products whose certificates crossed a date since.
    if product.status is not ProductStatus.PUBLISHED or product.id is None:
        return None
    schemes = {c.scheme_code: c.scheme for c in product.valid_labels(on) if not c.scheme.is_self_declared}
    green = greenness.facts(product, on)
    producer = product.producer
    return {
        "id": product.id,
        "slug": product.slug,
        "name_vi": product.name_vi,
        "name_en": product.name_en,
        # Meilisearch folds marks and đ itself (so `nuoc mam` finds `nước mắm`); these tokens keep exact
        # spelling ranking first. Aliases are the folded spellings shoppers type.
        "name_marks": diacritics.signature_tokens(product.name_vi),
        "aliases": list(product.search_aliases or []),
        "brand": producer.brand,
        "producer": producer.legal_name,
        "producer_id": producer.id,
        "commune": producer.commune,
        "category": product.category_code,
        "category_vi": category.name_vi if category else None,
        "category_en": category.name_en if category else None,
        # What it substitutes for: alternatives are drawn from the same group; its names rank like a name.
        "substitute": product.substitute_group,
        "substitute_vi": group.name_vi if group else None,
        "substitute_en": group.name_en if group else None,
        "labels": sorted(schemes),
        "label_kinds": {code: scheme.kind.value for code, scheme in sorted(schemes.items())},
        "labels_text": [name for _, s in sorted(schemes.items()) for name in (s.name_vi, s.name_en)],
        "ocop_stars": green.ocop_stars,
        "plastic_free": green.plastic_free,
        "hard_to_degrade_plastic": green.hard_to_degrade_plastic,
        "reusable_packaging": green.reusable_packaging,
        "packaging_known": green.packaging_known,
        "green_score": greenness.score(green),
        "store_ids": sorted(set(store_ids)),
        "description_vi": product.description_vi,
        "description_en": product.description_en,
        "updated_at": int(product.updated_at.timestamp()),
        "valid_on": on.isoformat(),
    }


def green_facts(document: Mapping[str, Any]) -> greenness.GreenFacts:
    """The greenness facts a document was built from, to explain an alternative without a database."""
    kinds: Mapping[str, str] = document.get("label_kinds") or {}
    return greenness.GreenFacts(
        labels=frozenset((code, SchemeKind(kind)) for code, kind in kinds.items() if code != OCOP),
        ocop_stars=document.get("ocop_stars"),
        plastic_free=bool(document.get("plastic_free")),
        hard_to_degrade_plastic=bool(document.get("hard_to_degrade_plastic")),
        reusable_packaging=bool(document.get("reusable_packaging")),
        packaging_known=bool(document.get("packaging_known", True)),
    )


@dataclass(frozen=True)
class Batch:
    """Documents to (re)place in the index and product ids to remove from it."""

    documents: list[dict[str, Any]]
    deletions: list[int]


async def load_products(session: AsyncSession, product_ids: Sequence[int]) -> list[Product]:
    """Products by id, in id order, with everything a document needs loaded."""
    if not product_ids:
        return []
    rows = await session.execute(select(Product).where(col(Product.id).in_(product_ids)).order_by(col(Product.id)))
    return list(rows.scalars().all())


async def build(session: AsyncSession, product_ids: Sequence[int], on: date) -> Batch:
    """Documents for these products as they are now in the database; missing or unpublished ones are deletions."""
    found = await load_products(session, product_ids)
    stores = await active_store_ids(session, [p.id for p in found if p.id is not None])
    categories = {c.code: c for c in (await session.execute(select(Category))).scalars()}
    groups = {g.code: g for g in (await session.execute(select(SubstituteGroup))).scalars()}
    documents: list[dict[str, Any]] = []
    for product in found:
        assert product.id is not None
        group = groups.get(product.substitute_group) if product.substitute_group else None
        document = product_document(
            product, on, stores.get(product.id, []), categories.get(product.category_code), group
        )
        if document is not None:
            documents.append(document)
    kept = {d["id"] for d in documents}
    return Batch(documents=documents, deletions=sorted(set(product_ids) - kept))


async def active_store_ids(session: AsyncSession, product_ids: Sequence[int]) -> dict[int, list[int]]:
    """Stores with an active listing, per product."""
    stores: dict[int, list[int]] = {}
    if not product_ids:
        return stores
    rows = await session.execute(
        select(Listing.product_id, Listing.store_id).where(
            col(Listing.product_id).in_(product_ids), col(Listing.active)
        )
    )
    for product_id, store_id in rows.tuples():
        stores.setdefault(product_id, []).append(store_id)
    return stores


async def published_ids(session: AsyncSession) -> list[int]:
    """Every published product id, for a full rebuild."""
    rows = await session.execute(
        select(Product.id).where(col(Product.status) == ProductStatus.PUBLISHED).order_by(col(Product.id))
    )
    return [pid for pid in rows.scalars() if pid is not None]
