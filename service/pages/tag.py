"""The shelf-tag scan page: the product in the tag's store context; each scan is counted anonymously.

The page comes from the page cache like the product page, and each time it is served (cached or not) the scan goes
to the scan counter's buffer (service/scan_counter.py), written in batches off the request path.
"""

from datetime import date

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from catalog import tags
from service.page_cache import ScanTarget
from service.pages import cached
from service.pages.product import render_product
from service.settings import Settings


@get("/t/{code:str}", name="scan", before_request=cached.from_cache("t", "code"))
async def scan_page(
    request: Request,
    code: FromPath[str],
    db_engine: NamedDependency[AsyncEngine],
    today: NamedDependency[date],
    locale: NamedDependency[str],
    settings: NamedDependency[Settings],
) -> Response[bytes]:
    """What a shopper sees after scanning a shelf tag."""

    async def render(session: AsyncSession) -> tuple[Template, ScanTarget]:
        target = await tags.scan_target(session, code)
        assert target.product.id is not None
        page = await render_product(
            request, session, target.product, locale=locale, on=today, settings=settings, store=target.store
        )
        return page, ScanTarget(tag_id=target.tag.id, product_id=target.product.id, store_id=target.tag.store_id)

    return await cached.serve(request, db_engine, route="t", ident=code, locale=locale, day=today, render=render)
