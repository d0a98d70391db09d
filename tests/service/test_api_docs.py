"""The OpenAPI viewer works offline: every asset comes from our origin; every operation has a summary."""

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


async def test_the_schema_viewer_loads_only_same_origin_assets_and_serves_its_licence(client: Client) -> None:
    page = await client.get("/schema")

    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert urls, page.text[:500]
    assert all(url.startswith("/schema-assets/") for url in urls), urls
    assert "cdn" not in page.text.lower() and "@latest" not in page.text
    for url in urls:
        assert (await client.get(url)).status_code == 200, url
    licence = await client.get("/schema-assets/LICENSE")
    assert licence.status_code == 200 and "Apache License" in licence.text


async def test_every_operation_has_a_summary_sentence(client: Client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()

    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]
    assert len(operations) > 30
    for path, method, op in operations:
        summary = op.get("summary") or ""
        assert " " in summary and not re.fullmatch(r"[A-Z][A-Za-z]+", summary), (method, path, summary)


async def test_a_lower_bound_of_zero_is_in_the_schema_as_the_server_enforces_it(client: Client) -> None:
    schemas = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]

    for model, field in (("ListingPatch", "price_vnd"), ("ListingDraft", "price_vnd"), ("PackagingDraft", "mass_g")):
        assert schemas[model]["properties"][field]["minimum"] == 0, (model, field)
