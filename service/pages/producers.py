"""Producer pages: who makes a product, where, and what else they make."""

from datetime import date

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import producers, products
from service.pages import context

MAX_PRODUCTS = 100


@get("/producers/{slug:str}", name="producer")
async def producer_page(
    request: Request,
    slug: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    locale: NamedDependency[str],
) -> Template:
    """A producer and its published products."""
    producer = await producers.get_by_slug(db_session, slug)
    found = await products.list_published(db_session, products.ProductFilter(producer_id=producer.id), 1, MAX_PRODUCTS)
    return context.page(request, locale, "pages/producer.html", producer=producer, products=found.items, today=today)
