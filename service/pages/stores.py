"""Store pages: what a store stocks and its plastic-bag policy."""

from datetime import date

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import greenness, stores
from service.pages import context


@get("/s/{slug:str}", name="store")
async def store_page(
    request: Request,
    slug: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    locale: NamedDependency[str],
) -> Template:
    """A store's green products, greenest first, and how it handles plastic bags."""
    store = await stores.get_by_slug(db_session, slug)
    assert store.id is not None
    listings = await stores.listings_of_store(db_session, store.id, on_sale_only=True)
    listings.sort(key=lambda pair: -greenness.score(greenness.facts(pair[1], today)))
    return context.page(request, locale, "pages/store.html", store=store, listings=listings, today=today)
