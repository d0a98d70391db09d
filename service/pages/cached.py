"""Serving a product or scan page from the page cache (service/page_cache.py), rendering it on a miss.

Responses carry a strong ETag of the bytes and `Cache-Control: no-cache`: a phone or proxy may keep the page but asks
every time (so every scan reaches us and is counted), and gets a 304 while the page is unchanged. They vary on the
language cookie and Accept-Language, like every negotiated page; one that sets the language cookie is private.
"""

from collections.abc import Awaitable, Callable
from datetime import date

from litestar import Request, Response
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from catalog import db
from service import conditional, i18n
from service.page_cache import PageCache, PageKey, RenderedPage, ScanTarget

HTML = "text/html; charset=utf-8"
Render = Callable[[AsyncSession], Awaitable[tuple[Template, ScanTarget | None]]]


def page_cache(request: Request) -> PageCache:
    """The process's page cache, made with the app (service/app.py)."""
    cache: PageCache = request.app.state.pages
    return cache


async def serve(
    request: Request, engine: AsyncEngine, *, route: str, ident: str, locale: str, day: date, render: Render
) -> tuple[Response[bytes], ScanTarget | None]:
    """The page for (route, ident) in `locale` on `day`, from the cache when the catalog has not changed since."""
    cache = page_cache(request)
    key = PageKey(route=route, ident=ident, locale=locale, day=day, query=request.url.query)
    at = await cache.generation()
    page = cache.get(key, at)
    if page is None:
        async with db.session_factory(engine)() as session:
            template, scan = await render(session)
        body = _render(request, template)
        page = RenderedPage(body=body, etag=conditional.etag_of(body), scan=scan)
        cache.put(key, at, page)
    cookies = i18n.language_cookie(request, locale)
    # A response that sets the visitor's cookie must never be stored by a shared cache.
    headers = {"Vary": i18n.VARY, "Cache-Control": "private, no-cache" if cookies else "no-cache"}
    response = conditional.respond(request, page.body, media_type=HTML, etag=page.etag, headers=headers)
    for cookie in cookies:
        response.set_cookie(cookie)
    return response, page.scan


def _render(request: Request, template: Template) -> bytes:
    engine = request.app.template_engine
    assert engine is not None and template.template_name is not None
    context = template.create_template_context(request)
    return engine.get_template(template.template_name).render(**context).encode(template.encoding)
