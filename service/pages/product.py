"""The product page, canonical at /p/{slug}; shelf tags and GS1 Digital Links render the same page."""

from datetime import date
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from catalog import greenness, labels, products, stores, summary
from catalog.categories import Category
from catalog.certifications import Certification, Standing
from catalog.products import Product
from catalog.stores import Listing, Store
from search import alternatives
from service.pages import cached, context
from service.settings import Settings

# Valid claims first, then the ones a shopper should not rely on, rejected and revoked last.
STANDING_ORDER = {standing: rank for rank, standing in enumerate(Standing)}


def canonical_path(product: Product) -> str:
    """The one URL a product page is known by, whatever link led to it."""
    return f"/p/{product.slug}"


async def render_product(
    request: Request,
    session: AsyncSession,
    product: Product,
    *,
    locale: str,
    on: date,
    settings: Settings,
    store: Store | None = None,
) -> Template:
    """The product page, in a store's context (its price, shelf, bag policy, alternatives there) when given one."""
    assert product.id is not None
    listings = await stores.listings_of_product(session, product.id)
    found = await alternatives.greener_than(
        request.app.state.meili, settings.meili_index, session, product, on=on, store_id=store.id if store else None,
        limit=4,
    )  # fmt: skip
    # Alternatives are drawn from the search documents themselves: loading each one from the database cost a
    # quarter of the scan page's time (bench/).
    greener = found.items
    # In a store, each greener choice shows its price and shelf there.
    alternative_listings = (
        await stores.listings_in_store(session, store.id, [a.id for a in greener]) if store and store.id else {}
    )
    # Every scheme by code: the summary's chips and points name theirs, alternatives too.
    schemes = {scheme.code: scheme for scheme in await labels.schemes(session)}
    category = await session.get(Category, product.category_code)
    here = next((listing for listing, s in listings if store is not None and s.id == store.id), None)
    canonical = settings.public_base_url + canonical_path(product)
    certifications = sorted(
        ((c, c.standing_on(on)) for c in product.certifications), key=lambda pair: STANDING_ORDER[pair[1]]
    )
    return context.page(
        request,
        locale,
        "pages/product.html",
        product=product,
        today=on,
        category=category,
        certifications=certifications,
        stars=product.ocop_stars(on),
        listings=listings,
        store=store,
        here=here,
        alternatives=greener,
        alternative_listings=alternative_listings,
        schemes=schemes,
        schemes_by_code=schemes,
        summary=summary.summarise(product, on),
        points=greenness,
        canonical=canonical,
        json_ld=json_ld(product, on, canonical, listings, category),
        illustrative=_shows_demo_values(product, listings),
    )


def json_ld(
    product: Product, on: date, url: str, listings: list[tuple[Listing, Store]], category: Category | None
) -> dict[str, Any]:
    """schema.org Product: names, maker, public GTIN, certifications valid on `on`, and the price range."""
    producer = product.producer
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name_vi,
        "url": url,
        "brand": {"@type": "Brand", "name": producer.brand or producer.legal_name},
        "manufacturer": {
            "@type": "Organization",
            "name": producer.legal_name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": producer.commune,
                "addressRegion": producer.province,
                "addressCountry": "VN",
            },
        },
    }
    if product.name_en:
        data["alternateName"] = product.name_en
    if category is not None:
        data["category"] = category.name_vi
    if product.description_vi:
        data["description"] = product.description_vi
    if product.gtin_is_public:
        data["gtin14"] = product.gtin
    valid = [_certification_ld(c) for c in product.valid_labels(on)]
    if valid:
        data["hasCertification"] = valid
    prices = [listing.price_vnd for listing, _ in listings if listing.price_vnd is not None]
    if prices:
        data["offers"] = {
            "@type": "AggregateOffer",
            "priceCurrency": "VND",
            "lowPrice": min(prices),
            "highPrice": max(prices),
            "offerCount": len(prices),
        }
    return data


def _certification_ld(cert: Certification) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Certification", "name": cert.scheme.name_en, "certificationStatus": "Active"}
    if cert.issuing_body:
        item["issuedBy"] = {"@type": "Organization", "name": cert.issuing_body}
    if cert.valid_until:
        item["expires"] = cert.valid_until.isoformat()
    if cert.ocop_stars or cert.stars:
        item["certificationRating"] = {"@type": "Rating", "ratingValue": cert.ocop_stars or cert.stars, "bestRating": 5}
    return item


def _shows_demo_values(product: Product, listings: list[tuple[Listing, Store]]) -> bool:
    return (
        product.illustrative
        or any(c.illustrative for c in product.certifications)
        or any(listing.illustrative for listing, _ in listings)
    )


@get("/p/{slug:str}", name="product", before_request=cached.from_cache("p", "slug"))
async def product_page(
    request: Request,
    slug: FromPath[str],
    db_engine: NamedDependency[AsyncEngine],
    today: NamedDependency[date],
    locale: NamedDependency[str],
    settings: NamedDependency[Settings],
) -> Response[bytes]:
    """The canonical product page."""

    async def render(session: AsyncSession) -> tuple[Template, None]:
        product = await products.get_published_by_slug(session, slug)
        return await render_product(request, session, product, locale=locale, on=today, settings=settings), None

    return await cached.serve(request, db_engine, route="p", ident=slug, locale=locale, day=today, render=render)
