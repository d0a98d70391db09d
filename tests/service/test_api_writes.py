from datetime import date, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]


async def _product(client: Client, product_id: int) -> dict:
    response = await client.get(f"/api/v1/products/{product_id}")
    assert response.status_code == 200
    return response.json()


async def test_producer_patches_its_own_product(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.producer_a)
    version = (await _product(client, cast.product_a))["version"]
    response = await client.patch(
        f"/api/v1/products/{cast.product_a}", json={"version": version, "name_en": "Beef balls"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["name_en"] == "Beef balls"
    assert (await _product(client, cast.product_a))["name_en"] == "Beef balls"


async def test_producer_cannot_patch_another_producers_product(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.producer_a)
    before = await _product(client, cast.product_b)
    response = await client.patch(
        f"/api/v1/products/{cast.product_b}", json={"version": before["version"], "name_en": "Mine"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json()["extra"][0]["key"] == "product_id"
    assert (await _product(client, cast.product_b))["name_en"] == before["name_en"]


async def test_producer_cannot_verify_a_claim(client: Client, cast: Cast, today: date) -> None:
    headers = await sign_in(client, cast.producer_a)
    claim = await client.post(
        f"/api/v1/products/{cast.product_a}/certifications",
        json={"scheme_code": "VIETGAP", "issued_on": "2026-01-05", "evidence_url": "https://example.vn/vietgap.pdf"},
        headers=headers,
    )
    assert claim.status_code == 201, claim.text
    response = await client.post(f"/api/v1/certifications/{claim.json()['id']}/verify", headers=headers)
    assert response.status_code == 403


async def test_anonymous_writes_are_refused_but_reads_are_public(client: Client, cast: Cast) -> None:
    assert (await client.get(f"/api/v1/products/{cast.product_a}")).status_code == 200
    response = await client.patch(f"/api/v1/products/{cast.product_a}", json={"version": 1, "name_en": "x"})
    assert response.status_code == 401


async def test_new_claim_is_not_valid_until_an_admin_verifies_it(client: Client, cast: Cast, today: date) -> None:
    producer = await sign_in(client, cast.producer_a)
    claim = await client.post(
        f"/api/v1/products/{cast.product_a}/certifications",
        json={
            "scheme_code": "VIETGAP",
            "certificate_no": "VG-CM-2026-0042",
            "issued_on": (today - timedelta(days=30)).isoformat(),
            "valid_until": (today + timedelta(days=700)).isoformat(),
            "evidence_url": "https://example.vn/vietgap-0042.pdf",
        },
        headers=producer,
    )
    assert claim.status_code == 201, claim.text
    claim_id = claim.json()["id"]
    assert claim.json()["status"] == "claimed" and claim.json()["valid_now"] is False
    shown = {c["id"]: c for c in (await _product(client, cast.product_a))["certifications"]}
    assert shown[claim_id]["valid_now"] is False
    listed = (await client.get("/api/v1/products", params={"per_page": 100})).json()["items"]
    in_list = next(p for p in listed if p["id"] == cast.product_a)
    assert not any(c["valid_now"] for c in in_list["certifications"] if c["id"] == claim_id)

    admin = await sign_in(client, cast.admin)
    verified = await client.post(f"/api/v1/certifications/{claim_id}/verify", headers=admin)
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified_at"] is not None
    shown = {c["id"]: c for c in (await _product(client, cast.product_a))["certifications"]}
    assert shown[claim_id]["status"] == "verified" and shown[claim_id]["valid_now"] is True


async def test_stale_version_answers_409_with_the_current_version(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.producer_a)
    version = (await _product(client, cast.product_a))["version"]
    first = await client.patch(
        f"/api/v1/products/{cast.product_a}", json={"version": version, "name_en": "First"}, headers=headers
    )
    assert first.status_code == 200
    second = await client.patch(
        f"/api/v1/products/{cast.product_a}", json={"version": version, "name_en": "Second"}, headers=headers
    )
    assert second.status_code == 409
    (error,) = second.json()["extra"]
    assert error["key"] == "version" and error["current_version"] == version + 1
