"""The search page: a plain GET form with facets and pagination, usable without JavaScript."""

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import categories, products, stores
from catalog.labels import schemes as label_schemes
from catalog.products import Product
from search import engine
from search.query import SearchRequest
from service.pages import context
from service.pagination import PageNumber
from service.settings import Settings

PER_PAGE = 20
STAR_CHOICES = (3, 4, 5)


@dataclass(frozen=True)
class Facets:
    """How many of the found products carry each value, to offer as further filters."""

    labels: dict[str, int] = field(default_factory=dict)
    stars: dict[int, int] = field(default_factory=dict)  # products with at least this many valid OCOP stars
    categories: dict[str, int] = field(default_factory=dict)
    stores: dict[int, int] = field(default_factory=dict)
    plastic_free: int = 0

    @classmethod
    def of(cls, facets: dict[str, dict[str, int]]) -> "Facets":
        """Reshape the search engine's facet counts for the filter form."""
        stars = {int(value): count for value, count in facets.get("ocop_stars", {}).items()}
        return cls(
            labels=dict(facets.get("labels", {})),
            stars={n: sum(c for s, c in stars.items() if s >= n) for n in STAR_CHOICES},
            categories=dict(facets.get("category", {})),
            stores={int(value): count for value, count in facets.get("store_ids", {}).items()},
            plastic_free=facets.get("plastic_free", {}).get("true", 0),
        )


@dataclass(frozen=True)
class Found:
    """One page of products matching a query, with the facets of all matches."""

    products: list[Product]
    total: int
    facets: Facets
    page: int
    degraded: bool


@get("/search", name="search")
async def search_page(
    request: Request,
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    today: NamedDependency[date],
    locale: NamedDependency[str],
    q: Annotated[str, QueryParameter(max_length=200)] = "",
    labels: Annotated[list[str] | None, QueryParameter(max_items=20)] = None,
    category: Annotated[str, QueryParameter(max_length=40)] = "",
    min_stars: Annotated[str, QueryParameter(pattern="^[345]?$", description="3, 4 or 5; empty for any")] = "",
    plastic_free: FromQuery[bool] = False,
    store: Annotated[str, QueryParameter(max_length=100)] = "",
    page: PageNumber = 1,
) -> Template:
    """Products matching words and filters; facet counts narrow further."""
    all_stores = (await stores.list_all(db_session, 1, 100)).items
    chosen_store = next((s for s in all_stores if s.slug == store), None)
    query = SearchRequest(
        q=q,
        labels=tuple(labels or ()),
        category=category or None,
        min_stars=int(min_stars) if min_stars else None,
        plastic_free=True if plastic_free else None,
        store_id=chosen_store.id if chosen_store else None,
        page=page,
        per_page=PER_PAGE,
    )
    # Meilisearch ranks and counts; the cards are drawn from the database, as every consumer page is.
    result = await engine.find(request.app.state.meili, settings.meili_index, db_session, query, on=today)
    found = Found(
        products=await products.published_in_order(db_session, [hit.id for hit in result.hits]),
        total=result.total,
        facets=Facets.of(result.facets),
        page=page,
        degraded=result.degraded,
    )
    return context.page(
        request,
        locale,
        "pages/search.html",
        query=query,
        store_slug=chosen_store.slug if chosen_store else "",
        found=found,
        today=today,
        last_page=max(1, -(-found.total // PER_PAGE)),
        star_choices=STAR_CHOICES,
        stores=all_stores,
        categories=await categories.shelf_categories(db_session),
        schemes={s.code: s for s in await label_schemes(db_session)},
    )
