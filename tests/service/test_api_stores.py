from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]


async def test_store_records_its_bag_policy_with_the_day_it_took_effect(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.store)
    store = (await client.get(f"/api/v1/stores/{cast.store_id}")).json()
    missing_date = await client.patch(
        f"/api/v1/stores/{cast.store_id}",
        json={"version": store["version"], "free_hard_to_degrade_bags": not store["free_hard_to_degrade_bags"]},
        headers=headers,
    )
    assert missing_date.status_code == 400
    assert missing_date.json()["extra"][0]["key"] == "bag_policy_since"
    response = await client.patch(
        f"/api/v1/stores/{cast.store_id}",
        json={"version": store["version"], "free_hard_to_degrade_bags": False, "bag_policy_since": "2026-06-05"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    public = (await client.get(f"/api/v1/stores/{cast.store_id}")).json()
    assert public["free_hard_to_degrade_bags"] is False and public["bag_policy_since"] == "2026-06-05"
    assert public["bag_policy_illustrative"] is False and public["version"] == store["version"] + 1


async def test_store_cannot_change_another_store(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.store)
    response = await client.patch(
        f"/api/v1/stores/{cast.other_store_id}", json={"version": 1, "name": "Mine"}, headers=headers
    )
    assert response.status_code == 403
    listing = await client.post(
        f"/api/v1/stores/{cast.other_store_id}/listings", json={"product_id": cast.product_a}, headers=headers
    )
    assert listing.status_code == 403


async def test_producers_cannot_manage_stores_and_only_admins_register_them(client: Client, cast: Cast) -> None:
    producer = await sign_in(client, cast.producer_a)
    response = await client.patch(f"/api/v1/stores/{cast.store_id}", json={"version": 1, "name": "x"}, headers=producer)
    assert response.status_code == 403
    store = await sign_in(client, cast.store)
    new = {"name": "Bách hóa Xanh Năm Căn", "store_type": "convenience_store", "commune": "Xã Năm Căn"}
    assert (await client.post("/api/v1/stores", json=new, headers=store)).status_code == 403
    admin = await sign_in(client, cast.admin)
    created = await client.post("/api/v1/stores", json=new, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["slug"] == "bach-hoa-xanh-nam-can"


async def test_store_stocks_reprices_and_takes_a_product_off_the_shelf(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.store)
    stocked = await client.post(
        f"/api/v1/stores/{cast.store_id}/listings",
        json={"product_id": cast.product_b, "price_vnd": 65000, "shelf": "Kệ OCOP"},
        headers=headers,
    )
    assert stocked.status_code == 201, stocked.text
    listing_id = stocked.json()["id"]
    in_store = {
        p["id"]
        for p in (await client.get("/api/v1/products", params={"store": cast.store_id, "per_page": 100})).json()[
            "items"
        ]
    }
    assert cast.product_b in in_store

    repriced = await client.patch(
        f"/api/v1/stores/{cast.store_id}/listings/{listing_id}", json={"price_vnd": 59000}, headers=headers
    )
    assert repriced.json()["price_vnd"] == 59000 and repriced.json()["shelf"] == "Kệ OCOP"

    gone = await client.delete(f"/api/v1/stores/{cast.store_id}/listings/{listing_id}", headers=headers)
    assert gone.status_code == 204
    in_store = {
        p["id"]
        for p in (await client.get("/api/v1/products", params={"store": cast.store_id, "per_page": 100})).json()[
            "items"
        ]
    }
    assert cast.product_b not in in_store


async def test_every_write_is_in_the_audit_log_which_only_admins_read(client: Client, cast: Cast) -> None:
    producer = await sign_in(client, cast.producer_a)
    product = (await client.get(f"/api/v1/products/{cast.product_a}")).json()
    await client.patch(
        f"/api/v1/products/{cast.product_a}",
        json={"version": product["version"], "name_en": "Beef balls"},
        headers=producer,
    )
    claim = await client.post(
        f"/api/v1/products/{cast.product_a}/certifications",
        json={"scheme_code": "VIETGAP", "issued_on": "2026-01-05"},
        headers=producer,
    )
    admin = await sign_in(client, cast.admin)
    await client.post(
        f"/api/v1/certifications/{claim.json()['id']}/reject", json={"reason": "no evidence"}, headers=admin
    )
    store = await sign_in(client, cast.store)
    await client.post(f"/api/v1/stores/{cast.store_id}/listings", json={"product_id": cast.product_b}, headers=store)

    assert (await client.get("/api/v1/audit", headers=producer)).status_code == 403
    log = (await client.get("/api/v1/audit", params={"per_page": 100}, headers=admin)).json()["items"]
    by_actor = {(e["actor_email"], e["entity"], e["action"]) for e in log}
    assert {
        (cast.producer_a, "product", "update"),
        (cast.producer_a, "certification", "claim"),
        (cast.admin, "certification", "reject"),
        (cast.store, "listing", "create"),
    } <= by_actor
    update = next(e for e in log if e["entity"] == "product" and e["action"] == "update")
    assert update["before"]["name_en"] == product["name_en"] and update["after"]["name_en"] == "Beef balls"

    narrowed = (
        await client.get(
            "/api/v1/audit", params={"entity": "certification", "entity_id": claim.json()["id"]}, headers=admin
        )
    ).json()
    assert [e["action"] for e in narrowed["items"]] == ["reject", "claim"]
