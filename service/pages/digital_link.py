"""The GS1 Digital Link resolver: /01/{gtin}[/22/…][/10/…][/21/…] answers the product's page or its linkset."""

from datetime import date

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_301_MOVED_PERMANENTLY, HTTP_307_TEMPORARY_REDIRECT
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import products
from catalog.errors import NotFound
from service import digital_link
from service.pages.product import render_product
from service.settings import Settings

HTML = "text/html"


@get("/01/{path:path}", operation_id="resolveDigitalLink", tags=["digital link"])
async def resolve(
    request: Request,
    path: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    today: NamedDependency[date],
    locale: NamedDependency[str],
) -> Response[object] | Template:
    """Answer a scanned GS1 Digital Link with the product page, its RFC 9264 linkset, or the link asked for."""
    del path  # Litestar's copy is decoded and slash-normalised; the strict parser needs the raw bytes.
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    link = digital_link.parse(
        raw_path.decode("latin-1").split("?", 1)[0], request.scope.get("query_string", b"").decode("latin-1")
    )
    if not digital_link.is_published(link):
        raise NotFound(f"GTIN {link.gtin} is an in-store number and is not published as a Digital Link", "gtin")
    if link.short_gtin:
        return Redirect(link.canonical_target, status_code=HTTP_301_MOVED_PERMANENTLY)
    product = await products.get_published_by_gtin(db_session, link.gtin)
    if not product.gtin_is_public:
        raise NotFound(f"GTIN {link.gtin} is not yet confirmed as its producer's; it is not a public link", "gtin")
    wanted = request.accept.best_match([HTML, digital_link.LINKSET_MEDIA_TYPE], default=HTML)
    if link.parameters.get("linkType") in ("all", "linkset") or wanted == digital_link.LINKSET_MEDIA_TYPE:
        return Response(
            digital_link.linkset(link, product, settings.public_base_url, today),
            media_type=digital_link.LINKSET_MEDIA_TYPE,
            headers={"Vary": "Accept"},
        )
    headers = {
        "Vary": "Accept, Cookie, Accept-Language",
        "Link": f'<{link.path}?linkType=all>; rel="linkset"; type="{digital_link.LINKSET_MEDIA_TYPE}"',
    }
    if link.parameters.get("linkType", "").removeprefix("gs1:") not in ("", "pip", "defaultLink"):
        # A specific link type goes where the linkset says; relative targets keep a scan on the host it came in on.
        return Redirect(digital_link.target(link, product, "", today), status_code=HTTP_307_TEMPORARY_REDIRECT,
                        headers=headers)  # fmt: skip
    # The shopper's own page, served here rather than after a redirect: one round trip less on a weak connection.
    page = await render_product(request, db_session, product, locale=locale, on=today, settings=settings)
    page.headers.update(headers)
    return page
