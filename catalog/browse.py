"""Finding products with plain SQL for the consumer pages: text and facet filters, and greener alternatives.

Validity depends on the day, so label, star and packaging filters run in Python over the rows SQL narrowed down.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import text
from catalog.labels import OCOP, SchemeKind
from catalog.products import Product, ProductStatus
from catalog.stores import Listing

# Labels that say something about the environment; OCOP counts through its stars, food safety and trademarks not at all.
GREEN_KINDS = frozenset(
    {
        SchemeKind.TYPE_I_ECOLABEL,
        SchemeKind.ORGANIC,
        SchemeKind.THIRD_PARTY_SUSTAINABILITY,
        SchemeKind.GAP,
        SchemeKind.ENERGY_LABEL,
    }
)
MAX_QUERY_WORDS = 8


def green_points(product: Product, on: date) -> int:
    """A coarse greenness score: valid green labels, valid OCOP stars and plastic-free packaging count."""
    labels = sum(2 for c in product.valid_labels(on) if c.scheme.kind in GREEN_KINDS)
    stars = product.ocop_stars(on)
    points = labels + (stars - 2 if stars else 0)
    if product.is_plastic_free:
        points += 2
    elif product.has_hard_to_degrade_plastic:
        points -= 1
    return points


def valid_label_codes(product: Product, on: date) -> set[str]:
    """Codes of the schemes whose certification holds on `on` (OCOP included)."""
    return {c.scheme_code for c in product.valid_labels(on)}


@dataclass(frozen=True)
class Query:
    """What a shopper asked for on the search page."""

    text: str = ""
    labels: tuple[str, ...] = ()
    category: str | None = None
    min_stars: int | None = None
    plastic_free: bool = False
    store_id: int | None = None
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Facets:
    """How many of the found products carry each value, to offer as further filters."""

    labels: dict[str, int] = field(default_factory=dict)
    stars: dict[int, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    stores: dict[int, int] = field(default_factory=dict)
    plastic_free: int = 0


@dataclass(frozen=True)
class Found:
    """One page of products matching a query, with the facets of all matches."""

    products: list[Product]
    total: int
    facets: Facets
    page: int
    per_page: int


async def find(session: AsyncSession, query: Query, on: date) -> Found:
    """Published products matching the query's words (diacritics folded) and filters, greenest first."""
    words = text.fold(query.text).split()[:MAX_QUERY_WORDS]
    statement = select(Product).where(col(Product.status) == ProductStatus.PUBLISHED)
    for word in words:
        statement = statement.where(col(Product.search_text).contains(word, autoescape=True))
    if query.category:
        statement = statement.where(col(Product.category_code) == query.category)
    if query.store_id is not None:
        statement = statement.where(col(Product.id).in_(_stocked_in(query.store_id)))
    candidates = list((await session.execute(statement)).scalars().all())
    matches = [p for p in candidates if _passes(p, query, on)]
    stores_of = await _stores_of(session, [p.id for p in matches if p.id is not None])
    phrase = " ".join(words)
    matches.sort(key=lambda p: (phrase not in text.fold(p.name_vi), -green_points(p, on), text.fold(p.name_vi)))
    start = (query.page - 1) * query.per_page
    return Found(
        products=matches[start : start + query.per_page],
        total=len(matches),
        facets=_facets(matches, stores_of, on),
        page=query.page,
        per_page=query.per_page,
    )


async def greener_alternatives(
    session: AsyncSession, product: Product, on: date, *, store_id: int | None = None, limit: int = 4
) -> list[Product]:
    """Published products of the same category scoring greener than `product`, stocked in `store_id` if given."""
    statement = select(Product).where(
        col(Product.status) == ProductStatus.PUBLISHED,
        col(Product.category_code) == product.category_code,
        col(Product.id) != product.id,
    )
    if store_id is not None:
        statement = statement.where(col(Product.id).in_(_stocked_in(store_id)))
    baseline = green_points(product, on)
    scored = [(green_points(p, on), p) for p in (await session.execute(statement)).scalars()]
    greener = sorted((s for s in scored if s[0] > baseline), key=lambda s: (-s[0], text.fold(s[1].name_vi)))
    return [p for _, p in greener[:limit]]


def _stocked_in(store_id: int) -> object:
    return select(Listing.product_id).where(col(Listing.store_id) == store_id, col(Listing.active))


def _passes(product: Product, query: Query, on: date) -> bool:
    if query.labels and not set(query.labels) <= valid_label_codes(product, on):
        return False
    if query.min_stars is not None and (product.ocop_stars(on) or 0) < query.min_stars:
        return False
    return not (query.plastic_free and not product.is_plastic_free)


async def _stores_of(session: AsyncSession, product_ids: list[int]) -> dict[int, set[int]]:
    stores: dict[int, set[int]] = {}
    if not product_ids:
        return stores
    rows = await session.execute(
        select(Listing.product_id, Listing.store_id).where(
            col(Listing.product_id).in_(product_ids), col(Listing.active)
        )
    )
    for product_id, store_id in rows.tuples():
        stores.setdefault(product_id, set()).add(store_id)
    return stores


def _facets(products: list[Product], stores_of: dict[int, set[int]], on: date) -> Facets:
    labels: Counter[str] = Counter()
    stars: Counter[int] = Counter()
    categories: Counter[str] = Counter()
    stores: Counter[int] = Counter()
    plastic_free = 0
    for product in products:
        labels.update(valid_label_codes(product, on) - {OCOP})
        rank = product.ocop_stars(on) or 0
        stars.update(n for n in (3, 4, 5) if rank >= n)
        categories[product.category_code] += 1
        stores.update(stores_of.get(product.id or 0, set()))
        plastic_free += product.is_plastic_free
    return Facets(
        labels=dict(labels),
        stars=dict(stars),
        categories=dict(categories),
        stores=dict(stores),
        plastic_free=plastic_free,
    )
