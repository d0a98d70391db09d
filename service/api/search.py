"""Product search with facets, and greener alternatives; both answer from SQL (`degraded: true`) without Meilisearch."""

from datetime import date
from typing import Annotated

from litestar import get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from msgspec import Meta
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import products, stores
from catalog.greenness import Reason
from catalog.stores import Listing
from search import alternatives, engine
from search.alternatives import Alternative
from search.query import MAX_QUERY_LENGTH, Hit, SearchRequest
from service import reasons
from service.api.ids import PathId, query_id
from service.pagination import PageNumber, PerPage
from service.settings import Settings

MAX_ALTERNATIVES = 20


class SearchHitOut(BaseModel):
    """A found product; `highlight` holds HTML-safe text with matches in <mark>."""

    id: int
    slug: str
    name_vi: str
    name_en: str | None
    brand: str | None
    producer: str
    category: str
    labels: list[str]
    ocop_stars: int | None
    plastic_free: bool
    green_score: int
    highlight: dict[str, str]

    @classmethod
    def of(cls, hit: Hit) -> "SearchHitOut":
        """Shape a search hit."""
        return cls.model_validate(hit, from_attributes=True)


class SearchOut(BaseModel):
    """One page of hits with facet counts (label codes, OCOP stars, category, packaging flags, store ids)."""

    hits: list[SearchHitOut]
    total: int
    page: int
    per_page: int
    facets: dict[str, dict[str, int]]
    degraded: bool


class ReasonOut(BaseModel):
    """One way an alternative is greener: a stable code, what it concerns, and a plain-English sentence."""

    code: str
    scheme: str | None
    stars: int | None
    text: str

    @classmethod
    def of(cls, reason: Reason) -> "ReasonOut":
        """Shape a greenness reason."""
        return cls(code=reason.code, scheme=reason.scheme, stars=reason.stars, text=reasons.sentence(reason))


class AlternativeOut(BaseModel):
    """A greener product of the same substitute group and why it is greener; price and shelf in `store` if asked."""

    id: int
    slug: str
    name_vi: str
    name_en: str | None
    labels: list[str]
    ocop_stars: int | None
    plastic_free: bool
    green_score: int
    reasons: list[ReasonOut]
    price_vnd: int | None = Field(default=None, description="Its price in the store asked about, in đồng")
    shelf: str | None = Field(default=None, description="Where it is in the store asked about")

    @classmethod
    def of(cls, alternative: Alternative, listing: Listing | None = None) -> "AlternativeOut":
        """Shape an alternative, with its listing in the store asked about."""
        skip = {"reasons", "price_vnd", "shelf"}
        fields = {name: getattr(alternative, name) for name in cls.model_fields if name not in skip}
        return cls(
            **fields,
            reasons=[ReasonOut.of(r) for r in alternative.reasons],
            price_vnd=listing.price_vnd if listing else None,
            shelf=listing.shelf if listing else None,
        )


class AlternativesOut(BaseModel):
    """Greener alternatives, best first; `green_score` is the asked-about product's own score."""

    product_id: int
    green_score: int
    store: int | None
    alternatives: list[AlternativeOut]
    degraded: bool


# Codes as the seed data spells them: label schemes upper case (`VN_ECOLABEL`), categories lower (`dried_seafood`).
LabelCode = Annotated[str, Meta(pattern=r"^[A-Z0-9_]{1,40}$")]
CATEGORY_CODE = r"^[a-z0-9_]{1,40}$"


@get("/search", operation_id="searchProducts", tags=["search"], cache=False)
async def search_products(
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    settings: NamedDependency[Settings],
    state: State,
    q: Annotated[str, QueryParameter(max_length=MAX_QUERY_LENGTH, description="Words, with or without marks.")] = "",
    labels: Annotated[
        list[LabelCode] | None, QueryParameter(max_items=20, description="Label scheme codes (any of); repeatable.")
    ] = None,
    category: Annotated[str | None, QueryParameter(max_length=40, pattern=CATEGORY_CODE)] = None,
    min_stars: Annotated[int | None, QueryParameter(ge=3, le=5, description="Valid OCOP rating of at least")] = None,
    plastic_free: Annotated[
        bool | None, QueryParameter(description="Only plastic-free packs (true) or only others")
    ] = None,
    store: Annotated[int | None, query_id("Stocked (active listing) in this store")] = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> SearchOut:
    """Search published products by text and facets; only labels valid today count."""
    request = SearchRequest(
        q=q,
        labels=tuple(labels or ()),
        category=category,
        min_stars=min_stars,
        plastic_free=plastic_free,
        store_id=store,
        page=page,
        per_page=per_page,
    )
    found = await engine.find(state.meili, settings.meili_index, db_session, request, on=today)
    return SearchOut(
        hits=[SearchHitOut.of(h) for h in found.hits],
        total=found.total,
        page=page,
        per_page=per_page,
        facets=found.facets,
        degraded=found.degraded,
    )


@get("/products/{product_id:int}/alternatives", operation_id="listAlternatives", tags=["search"], cache=False)
async def list_alternatives(
    product_id: PathId,
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    settings: NamedDependency[Settings],
    state: State,
    store: Annotated[int | None, query_id("Only products this store stocks")] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_ALTERNATIVES)] = 5,
) -> AlternativesOut:
    """Greener products of the same substitute group, stocked in `store` when given (with their price and shelf
    there), each with its reasons; a product in no substitute group has none."""
    product = await products.get_published(db_session, product_id)
    if store is not None:
        await stores.get(db_session, store)
    found = await alternatives.greener_than(
        state.meili, settings.meili_index, db_session, product, on=today, store_id=store, limit=limit
    )
    here = await stores.listings_in_store(db_session, store, [a.id for a in found.items]) if store else {}
    return AlternativesOut(
        product_id=found.product_id,
        green_score=found.green_score,
        store=store,
        alternatives=[AlternativeOut.of(a, here.get(a.id)) for a in found.items],
        degraded=found.degraded,
    )
