from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


async def test_lists_all_78_demo_products_with_producer_certifications_and_packaging(client: Client) -> None:
    response = await client.get("/api/v1/products", params={"per_page": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 78
    assert len(body["items"]) == 78
    first = body["items"][0]
    assert first["producer"]["legal_name"]
    assert first["certifications"] and "valid_now" in first["certifications"][0]
    assert first["packaging"] and first["packaging"][0]["material"]


async def test_expired_rating_is_not_valid_now_but_the_renewed_one_is(client: Client) -> None:
    body = (await client.get("/api/v1/products", params={"gtin": "2000000000015"})).json()
    (product,) = body["items"]
    by_stars = {c["ocop_stars"]: c for c in product["certifications"]}
    assert by_stars[3]["valid_now"] is False and by_stars[3]["expired"] is True
    assert by_stars[4]["valid_now"] is True
    assert product["ocop_stars"] == 4


async def test_pages_do_not_overlap(client: Client) -> None:
    first = (await client.get("/api/v1/products", params={"per_page": 10, "page": 1})).json()
    second = (await client.get("/api/v1/products", params={"per_page": 10, "page": 2})).json()
    assert {p["id"] for p in first["items"]}.isdisjoint({p["id"] for p in second["items"]})
    assert second["page"] == 2 and second["per_page"] == 10 and second["total"] == 78


async def test_filters_by_category_and_store(client: Client) -> None:
    sauces = (await client.get("/api/v1/products", params={"category": "sauces_fermented", "per_page": 100})).json()
    assert sauces["total"] > 0
    assert {p["category"] for p in sauces["items"]} == {"sauces_fermented"}
    stores = (await client.get("/api/v1/stores")).json()["items"]
    in_store = (await client.get("/api/v1/products", params={"store": stores[0]["id"], "per_page": 100})).json()
    assert 0 < in_store["total"] < 78


async def test_unknown_product_is_a_404_json(client: Client) -> None:
    response = await client.get("/api/v1/products/99999")
    assert response.status_code == 404
    assert response.json()["extra"][0]["key"] == "product_id"


async def test_oversized_page_is_refused_naming_the_field(client: Client) -> None:
    response = await client.get("/api/v1/products", params={"per_page": 100000})
    assert response.status_code == 400
    assert [e["key"] for e in response.json()["extra"]] == ["per_page"]


async def test_wrong_gtin_check_digit_names_the_expected_digit(client: Client) -> None:
    response = await client.get("/api/v1/products", params={"gtin": "08936012345678"})
    assert response.status_code == 400
    (error,) = response.json()["extra"]
    assert error["key"] == "gtin"
    assert error["expected_check_digit"] == 4
    assert "expected 4" in error["message"]


async def test_producers_stores_and_label_schemes_are_readable(client: Client) -> None:
    producers = (await client.get("/api/v1/producers", params={"per_page": 100})).json()
    assert producers["total"] == 42
    producer = (await client.get(f"/api/v1/producers/{producers['items'][0]['id']}")).json()
    assert producer["slug"]
    stores = (await client.get("/api/v1/stores")).json()
    assert stores["total"] == 8
    schemes = (await client.get("/api/v1/label-schemes")).json()
    assert {"OCOP", "VN_ECOLABEL", "SELF_CLAIM"} <= {s["code"] for s in schemes}
    assert next(s for s in schemes if s["code"] == "SELF_CLAIM")["self_declared"] is True


async def test_health_reports_database_ok_and_search_degraded_without_meilisearch(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "search": "degraded"}


async def test_openapi_schema_is_served_locally(client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/products" in schema["paths"]
