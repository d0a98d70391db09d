"""Onboarding: the province creates producers and invites their accounts; producers keep their own record."""

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]
COOPERATIVE = {
    "legal_name": "Hợp tác xã Mật ong U Minh Hạ",
    "entity_type": "cooperative",
    "commune": "Xã Khánh An",
    "legacy_address": "Ấp 5, xã Khánh An, huyện U Minh, tỉnh Cà Mau",
}


async def test_admin_creates_a_producer_and_invites_its_account(client: Client, cast: Cast) -> None:
    admin = await sign_in(client, cast.admin)
    created = await client.post("/api/v1/producers", json=COOPERATIVE, headers=admin)
    assert created.status_code == 201, created.text
    producer = created.json()
    assert (producer["legal_name"], producer["version"]) == ("Hợp tác xã Mật ong U Minh Hạ", 1)
    invite = await client.post(
        "/api/v1/invites",
        json={"email": "HTX.matong@example.vn", "role": "producer", "producer_id": producer["id"]},
        headers=admin,
    )
    assert invite.status_code == 201, invite.text
    body = invite.json()
    assert body["email"] == "htx.matong@example.vn"
    assert body["url"].startswith("http://127.0.0.1:8000/portal/invite/")
    # Until the invitee sets a password, the account cannot sign in with any.
    refused = await client.post("/api/v1/auth/token", json={"email": body["email"], "password": "!invited"})
    assert refused.status_code == 401


async def test_only_admins_create_producers_and_invites(client: Client, cast: Cast) -> None:
    producer = await sign_in(client, cast.producer_a)
    assert (await client.post("/api/v1/producers", json=COOPERATIVE, headers=producer)).status_code == 403
    invite = {"email": "x@example.vn", "role": "producer", "producer_id": cast.producer_a_id}
    assert (await client.post("/api/v1/invites", json=invite, headers=producer)).status_code == 403
    assert (await client.post("/api/v1/producers", json=COOPERATIVE)).status_code == 401


async def test_a_producer_edits_its_own_record_with_its_version(client: Client, cast: Cast) -> None:
    own = await sign_in(client, cast.producer_a)
    current = (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()
    change = {"version": current["version"], "commune": "Phường Tân Thành", "phone": "0290 3 123 456"}
    response = await client.patch(f"/api/v1/producers/{cast.producer_a_id}", json=change, headers=own)
    assert response.status_code == 200, response.text
    assert (response.json()["commune"], response.json()["phone"]) == ("Phường Tân Thành", "0290 3 123 456")
    assert response.json()["version"] == current["version"] + 1
    assert response.json()["legal_name"] == current["legal_name"]
    stale = await client.patch(f"/api/v1/producers/{cast.producer_a_id}", json=change, headers=own)
    assert stale.status_code == 409
    assert stale.json()["extra"][0]["current_version"] == current["version"] + 1


async def test_a_producer_record_saved_unchanged_keeps_its_version(client: Client, cast: Cast) -> None:
    own = await sign_in(client, cast.producer_a)
    current = (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()
    same = {"version": current["version"], "legal_name": current["legal_name"], "commune": current["commune"]}
    response = await client.patch(f"/api/v1/producers/{cast.producer_a_id}", json=same, headers=own)
    assert response.status_code == 200
    assert response.json()["version"] == current["version"]


async def test_a_producer_cannot_edit_another_producers_record(client: Client, cast: Cast) -> None:
    own = await sign_in(client, cast.producer_a)
    other = (await client.get(f"/api/v1/producers/{cast.producer_b_id}")).json()
    response = await client.patch(
        f"/api/v1/producers/{cast.producer_b_id}", json={"version": other["version"], "phone": "1"}, headers=own
    )
    assert response.status_code == 403
    assert response.json()["extra"][0]["key"] == "producer_id"


async def test_an_empty_legal_name_is_refused_naming_the_field(client: Client, cast: Cast) -> None:
    admin = await sign_in(client, cast.admin)
    current = (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()
    response = await client.patch(
        f"/api/v1/producers/{cast.producer_a_id}",
        json={"version": current["version"], "legal_name": " "},
        headers=admin,
    )
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "legal_name"


async def test_a_producer_proposes_its_gs1_prefixes_and_they_count_once_the_province_confirms_them(
    client: Client, cast: Cast
) -> None:
    producer = await sign_in(client, cast.producer_a)
    record = (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()
    proposed = await client.patch(
        f"/api/v1/producers/{cast.producer_a_id}",
        json={"version": record["version"], "gs1_prefixes_proposed": ["8930000", " 8930000", "893123"]},
        headers=producer,
    )
    assert proposed.status_code == 200, proposed.text
    assert proposed.json()["gs1_prefixes_proposed"] == ["8930000", "893123"]
    assert proposed.json()["gs1_prefixes"] in (None, [])
    refused = await client.patch(
        f"/api/v1/producers/{cast.producer_a_id}",
        json={"version": proposed.json()["version"], "gs1_prefixes_proposed": ["89x"]},
        headers=producer,
    )
    assert refused.status_code == 400 and refused.json()["extra"][0]["key"] == "gs1_prefixes_proposed"
    # A producer cannot confirm its own prefixes; the province does, and the proposal is then settled.
    mine = await client.put(
        f"/api/v1/producers/{cast.producer_a_id}/gs1-prefixes", json={"prefixes": ["8930000"]}, headers=producer
    )
    assert mine.status_code == 403
    admin = await sign_in(client, cast.admin)
    confirmed = await client.put(
        f"/api/v1/producers/{cast.producer_a_id}/gs1-prefixes", json={"prefixes": ["8930000"]}, headers=admin
    )
    assert confirmed.status_code == 200 and confirmed.json()["gs1_prefixes"] == ["8930000"]
    after = (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()
    assert after["gs1_prefixes"] == ["8930000"]
