"""GET /api/v1/products/{id}/alternatives: greener products of the same category, with reasons."""

from typing import Any

import pytest

from tests.search.conftest import Client


async def product_named(client: Client, name_vi: str) -> dict[str, Any]:
    items = (await client.get("/api/v1/products", params={"per_page": 100})).json()["items"]
    return next(p for p in items if p["name_vi"] == name_vi)  # type: ignore[no-any-return]


async def store_named(client: Client, name: str) -> int:
    return next(s["id"] for s in (await client.get("/api/v1/stores")).json()["items"] if s["name"] == name)  # type: ignore[no-any-return]


async def check_store_alternatives_for_expired_rating(client: Client, *, degraded: bool) -> None:
    fish_sauce = await product_named(client, "Nước mắm Ngọc Trân")
    assert fish_sauce["ocop_stars"] is None
    assert any(c["scheme"] == "OCOP" and c["expired"] for c in fish_sauce["certifications"])
    store = await store_named(client, "Co.opmart Cà Mau")
    stocked = (await client.get("/api/v1/products", params={"store": store, "per_page": 100})).json()["items"]
    response = await client.get(f"/api/v1/products/{fish_sauce['id']}/alternatives", params={"store": store})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["degraded"] is degraded and body["store"] == store
    assert body["alternatives"], "the store stocks a greener sauce"
    assert {a["id"] for a in body["alternatives"]} <= {p["id"] for p in stocked if p["category"] == "sauces_fermented"}
    for alternative in body["alternatives"]:
        assert alternative["green_score"] > body["green_score"]
        assert alternative["reasons"] and all(r["code"] and r["text"] for r in alternative["reasons"])
    ba_khia = next(a for a in body["alternatives"] if a["name_vi"] == "Ba khía muối nước mắm")
    assert {"code": "ocop_stars", "scheme": "OCOP", "stars": 4, "text": "holds a valid 4-star OCOP rating"} in ba_khia[
        "reasons"
    ]


@pytest.mark.meili
async def test_alternatives_for_an_expired_rating_in_a_store_come_from_its_listings_with_reasons(api: Client) -> None:
    await check_store_alternatives_for_expired_rating(api, degraded=False)


async def test_without_meilisearch_alternatives_come_from_sql_with_the_same_rule(client: Client) -> None:
    await check_store_alternatives_for_expired_rating(client, degraded=True)


@pytest.mark.meili
async def test_alternatives_without_a_store_are_the_greenest_of_the_category_first(api: Client, client: Client) -> None:
    fish_sauce = await product_named(api, "Nước mắm Ngọc Trân")
    from_index = (await api.get(f"/api/v1/products/{fish_sauce['id']}/alternatives", params={"limit": 20})).json()
    scores = [a["green_score"] for a in from_index["alternatives"]]
    assert scores == sorted(scores, reverse=True) and len(scores) > 1
    from_sql = (await client.get(f"/api/v1/products/{fish_sauce['id']}/alternatives", params={"limit": 20})).json()
    assert [a["id"] for a in from_sql["alternatives"]] == [a["id"] for a in from_index["alternatives"]]


async def test_alternatives_of_an_unknown_product_or_store_are_404(client: Client) -> None:
    assert (await client.get("/api/v1/products/99999/alternatives")).status_code == 404
    fish_sauce = await product_named(client, "Nước mắm Ngọc Trân")
    missing_store = await client.get(f"/api/v1/products/{fish_sauce['id']}/alternatives", params={"store": 999})
    assert missing_store.status_code == 404
