from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog.stores import Listing
from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]


async def _listed_in(session: AsyncSession, store_id: int) -> int:
    product_id = await session.scalar(
        select(Listing.product_id).where(col(Listing.store_id) == store_id).order_by(col(Listing.id))
    )
    assert product_id is not None
    return product_id


async def test_anonymous_visitors_cannot_issue_tags_but_can_read_qr_codes(
    client: Client, cast: Cast, session: AsyncSession
) -> None:
    body = {"product_id": await _listed_in(session, cast.store_id), "store_id": cast.store_id}
    assert (await client.post("/api/v1/tags", json=body)).status_code == 401
    assert (await client.get(f"/api/v1/stores/{cast.store_id}/tags.pdf")).status_code == 401
    issued = await client.post("/api/v1/tags", json=body, headers=await sign_in(client, cast.store))
    assert issued.status_code == 201
    client.cookies.clear()
    assert (await client.get(f"/api/v1/tags/{issued.json()['code']}/qr.png")).status_code == 200


async def test_a_store_tags_its_own_shelves_only(client: Client, cast: Cast, session: AsyncSession) -> None:
    headers = await sign_in(client, cast.store)
    own = {"product_id": await _listed_in(session, cast.store_id), "store_id": cast.store_id}
    other = {"product_id": own["product_id"], "store_id": cast.other_store_id}
    assert (await client.post("/api/v1/tags", json=own, headers=headers)).status_code == 201
    assert (await client.post("/api/v1/tags", json=other, headers=headers)).status_code == 403
    assert (await client.post(f"/api/v1/stores/{cast.other_store_id}/tags", headers=headers)).status_code == 403
    assert (await client.get(f"/api/v1/stores/{cast.other_store_id}/tags.pdf", headers=headers)).status_code == 403


async def test_a_producer_tags_its_own_products_only(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.producer_a)
    assert (await client.post("/api/v1/tags", json={"product_id": cast.product_a}, headers=headers)).status_code == 201
    assert (await client.post("/api/v1/tags", json={"product_id": cast.product_b}, headers=headers)).status_code == 403
    assert (await client.get(f"/api/v1/stores/{cast.store_id}/tags.pdf", headers=headers)).status_code == 403
