"""Serving a product or scan page from the page cache (service/page_cache.py), rendering it on a miss.

A cached page is answered by the route's `before_request` hook (`from_cache`), before Litestar resolves the
handler's dependencies: a hit costs the generation read, a dictionary lookup and the response. A miss falls through
to the handler, which renders the page with a database session and keeps it (`serve`).

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
from service.scan_counter import ScanCounter

# Litestar appends "; charset=utf-8" to text types itself.
HTML = "text/html"
Render = Callable[[AsyncSession], Awaitable[tuple[Template, ScanTarget | None]]]
Hook = Callable[[Request], Awaitable[Response[bytes] | None]]


def page_cache(request: Request) -> PageCache:
    """The process's page cache, made with the app (service/app.py)."""
    cache: PageCache = request.app.state.pages
    return cache


def from_cache(route: str, param: str) -> Hook:
    """A `before_request` hook answering the page for path parameter `param` when the cache holds it current."""

    async def hit(request: Request) -> Response[bytes] | None:
        cache = page_cache(request)
        if not cache.enabled:
            return None
        locale = i18n.request_locale(request)
        key = _key(request, route, request.path_params[param], locale, request.app.state.today())
        page = cache.get(key, await cache.generation())
        return None if page is None else _answer(request, page, locale)

    return hit


async def serve(
    request: Request, engine: AsyncEngine, *, route: str, ident: str, locale: str, day: date, render: Render
) -> Response[bytes]:
    """Render the page for (route, ident) in `locale` on `day` and keep it (the cache did not hold it current)."""
    cache = page_cache(request)
    key = _key(request, route, ident, locale, day)
    at = await cache.generation()
    page = cache.get(key, at)
    if page is None:
        async with db.session_factory(engine)() as session:
            template, scan = await render(session)
        body = _render(request, template)
        page = RenderedPage(body=body, etag=conditional.etag_of(body), scan=scan)
        cache.put(key, at, page)
    return _answer(request, page, locale)


def _key(request: Request, route: str, ident: str, locale: str, day: date) -> PageKey:
    return PageKey(route=route, ident=ident, locale=locale, day=day, query=request.url.query)


def _answer(request: Request, page: RenderedPage, locale: str) -> Response[bytes]:
    """The response for a page, cached or fresh; a scan page counts the scan (not a ?lang= switch of the same one)."""
    if page.scan is not None and "lang" not in request.query_params:
        counter: ScanCounter = request.app.state.scans
        scan = page.scan
        counter.count(tag_id=scan.tag_id, product_id=scan.product_id, store_id=scan.store_id, lang=locale)
    cookies = i18n.language_cookie(request, locale)
    # A response that sets the visitor's cookie must never be stored by a shared cache.
    headers = {"Vary": i18n.VARY, "Cache-Control": "private, no-cache" if cookies else "no-cache"}
    response = conditional.respond(request, page.body, media_type=HTML, etag=page.etag, headers=headers)
    for cookie in cookies:
        response.set_cookie(cookie)
    return response


def _render(request: Request, template: Template) -> bytes:
    engine = request.app.template_engine
    assert engine is not None and template.template_name is not None
    context = template.create_template_context(request)
    return engine.get_template(template.template_name).render(**context).encode(template.encoding)
