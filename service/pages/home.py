"""The home page: what Green Shelf is, a search box and the stores."""

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import stores
from service.pages import context


@get("/", name="home")
async def home_page(
    request: Request, db_session: NamedDependency[AsyncSession], locale: NamedDependency[str]
) -> Template:
    """A short introduction, the search box and links to the stores."""
    found = await stores.list_all(db_session, 1, 100)
    return context.page(request, locale, "pages/home.html", stores=found.items)
