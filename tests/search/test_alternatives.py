"""GET /api/v1/products/{id}/alternatives: greener products of the same substitute group, with reasons."""

from typing import Any

import pytest

from tests.search.conftest import Client


async def product_named(client: Client, name_vi: str) -> dict[str, Any]:
    items = (await client.get("/api/v1/products", params={"per_page": 100})).json()["items"]
    return next(p for p in items if p["name_vi"] == name_vi)  # type: ignore[no-any-return]


async def store_named(client: Client, name: str) -> int:
    return next(s["id"] for s in (await client.get("/api/v1/stores")).json()["items"] if s["name"] == name)  # type: ignore[no-any-return]


async def check_store_alternatives_are_substitutes(client: Client, *, degraded: bool) -> None:
    dried_shrimp = await product_named(client, "Tôm khô Ngọc Giàu")
    assert dried_shrimp["ocop_stars"] is None
    store = await store_named(client, "Co.opmart Cà Mau")
    stocked = (await client.get("/api/v1/products", params={"store": store, "per_page": 100})).json()["items"]
    response = await client.get(f"/api/v1/products/{dried_shrimp['id']}/alternatives", params={"store": store})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["degraded"] is degraded and body["store"] == store
    names = {a["name_vi"] for a in body["alternatives"]}
    # Dried shrimp for dried shrimp: never the shrimp floss, crackers or organic frozen shrimp the store also has.
    assert names == {"Tôm khô Trúc Thương", "Tôm khô nguyên vỏ Tân Phát Lợi", "Tôm khô tách vỏ Tân Phát Lợi"}
    assert {a["id"] for a in body["alternatives"]} <= {p["id"] for p in stocked}
    for alternative in body["alternatives"]:
        assert alternative["green_score"] > body["green_score"]
        assert alternative["reasons"] and all(r["code"] and r["text"] for r in alternative["reasons"])
        # Its price in this store, as the store listed it.
        assert isinstance(alternative["price_vnd"], int) and alternative["price_vnd"] > 0
    truc_thuong = next(a for a in body["alternatives"] if a["name_vi"] == "Tôm khô Trúc Thương")
    assert {"code": "ocop_stars", "scheme": "OCOP", "stars": 4, "text": "holds a valid 4-star OCOP rating"} in (
        truc_thuong["reasons"]
    )


@pytest.mark.meili
async def test_alternatives_in_a_store_are_greener_substitutes_there_with_price_and_reasons(api: Client) -> None:
    await check_store_alternatives_are_substitutes(api, degraded=False)


async def test_without_meilisearch_alternatives_come_from_sql_with_the_same_rule(client: Client) -> None:
    await check_store_alternatives_are_substitutes(client, degraded=True)


@pytest.mark.meili
async def test_a_fish_sauce_is_offered_only_fish_sauces_and_none_rather_than_salted_crab(api: Client) -> None:
    fish_sauce = await product_named(api, "Nước mắm Ngọc Trân")
    store = await store_named(api, "Co.opmart Cà Mau")
    for params in ({"limit": 20}, {"limit": 20, "store": store}):
        body = (await api.get(f"/api/v1/products/{fish_sauce['id']}/alternatives", params=params)).json()
        # The other fish sauce scores the same; the greener salted crab and shrimp pastes are not substitutes.
        assert body["alternatives"] == [], body


@pytest.mark.meili
async def test_alternatives_without_a_store_are_the_greenest_of_the_group_first(api: Client, client: Client) -> None:
    dried_shrimp = await product_named(api, "Tôm khô Cái Bát")
    from_index = (await api.get(f"/api/v1/products/{dried_shrimp['id']}/alternatives", params={"limit": 20})).json()
    scores = [a["green_score"] for a in from_index["alternatives"]]
    assert scores == sorted(scores, reverse=True) and len(scores) > 1
    assert all(a["price_vnd"] is None and a["shelf"] is None for a in from_index["alternatives"])
    from_sql = (await client.get(f"/api/v1/products/{dried_shrimp['id']}/alternatives", params={"limit": 20})).json()
    assert [a["id"] for a in from_sql["alternatives"]] == [a["id"] for a in from_index["alternatives"]]


async def test_alternatives_of_an_unknown_product_or_store_are_404(client: Client) -> None:
    assert (await client.get("/api/v1/products/99999/alternatives")).status_code == 404
    fish_sauce = await product_named(client, "Nước mắm Ngọc Trân")
    missing_store = await client.get(f"/api/v1/products/{fish_sauce['id']}/alternatives", params={"store": 999})
    assert missing_store.status_code == 404
