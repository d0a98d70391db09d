"""The search page: a plain GET form with facets and pagination, usable without JavaScript."""

from datetime import date
from typing import Annotated

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import browse, public
from service.api.pagination import PageNumber
from service.pages import context

PER_PAGE = 20
STAR_CHOICES = (3, 4, 5)


@get("/search", name="search")
async def search_page(
    request: Request,
    db_session: NamedDependency[AsyncSession],
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
    stores = (await public.list_stores(db_session, 1, 100)).items
    chosen_store = next((s for s in stores if s.slug == store), None)
    query = browse.Query(
        text=q,
        labels=tuple(labels or ()),
        category=category or None,
        min_stars=int(min_stars) if min_stars else None,
        plastic_free=plastic_free,
        store_id=chosen_store.id if chosen_store else None,
        page=page,
        per_page=PER_PAGE,
    )
    found = await browse.find(db_session, query, today)
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
        stores=stores,
        categories=await public.categories(db_session),
        schemes={s.code: s for s in await public.label_schemes(db_session)},
    )
