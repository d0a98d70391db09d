"""Shoppers stand in an aisle on a weak connection: a product page with its stylesheet stays within 30 KB."""

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]

BUDGET = 30 * 1024


async def test_every_demo_product_page_with_its_css_fits_the_budget_in_both_languages(client: Client) -> None:
    products = (await client.get("/api/v1/products", params={"per_page": 100})).json()["items"]
    assert len(products) == 78
    first = (await client.get(f"/p/{products[0]['slug']}")).text
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', first)
    assert stylesheet is not None
    css = len((await client.get(stylesheet.group(1))).content)

    weights = {}
    for product in products:
        for lang in ("vi", "en"):
            response = await client.get(f"/p/{product['slug']}", params={"lang": lang})
            assert response.status_code == 200
            weights[(product["slug"], lang)] = len(response.content) + css

    heaviest = max(weights, key=weights.__getitem__)
    assert weights[heaviest] <= BUDGET, f"{heaviest} weighs {weights[heaviest]} bytes with its CSS"


async def test_pages_load_nothing_from_another_origin(client: Client) -> None:
    products = (await client.get("/api/v1/products", params={"per_page": 100})).json()["items"]
    for path in ("/", "/search", f"/p/{products[0]['slug']}"):
        page = (await client.get(path)).text
        # A canonical link is an address, not a fetch; everything else a browser would load must be ours.
        tags = [t for t in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", page) if "canonical" not in t]
        fetched = [m for t in tags for m in re.findall(r'\b(?:src|href)="([^"]+)"', t)]
        assert fetched and all(url.startswith(("/", "data:")) for url in fetched), fetched
