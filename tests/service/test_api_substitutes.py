"""Substitute groups through the API: anyone reads them, only admins change them or put products in them."""

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlmodel import col, func, select

from catalog import db
from catalog.audit import AuditEntry
from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]


async def test_the_seeded_groups_sit_below_categories_and_every_demo_product_has_one(client: Client) -> None:
    groups = (await client.get("/api/v1/substitute-groups")).json()
    categories = {c["code"] for c in (await client.get("/api/v1/categories")).json()}

    codes = {g["code"] for g in groups}
    assert {"fish_sauce", "shrimp_paste", "ba_khia_crab", "shopping_bags"} <= codes
    assert all(g["category_code"] in categories for g in groups)


async def test_an_admin_creates_renames_and_assigns_and_others_may_not(
    client: Client, cast: Cast, demo_db_url: str
) -> None:
    admin = await sign_in(client, cast.admin)
    producer = await sign_in(client, cast.producer_a)
    group = {
        "code": "beef_balls",
        "category_code": "processed_meat_fish",
        "name_vi": "Bò viên",
        "name_en": "Beef balls",
    }

    assert (await client.post("/api/v1/substitute-groups", json=group, headers=producer)).status_code == 403
    created = await client.post("/api/v1/substitute-groups", json=group, headers=admin)
    assert created.status_code == 201, created.text
    again = await client.post("/api/v1/substitute-groups", json=group, headers=admin)
    assert again.status_code == 409 and again.json()["extra"][0]["key"] == "code"

    renamed = await client.patch("/api/v1/substitute-groups/beef_balls", json={"name_en": "Meatballs"}, headers=admin)
    assert renamed.json()["name_en"] == "Meatballs" and renamed.json()["name_vi"] == "Bò viên"

    url = f"/api/v1/products/{cast.product_a}/substitute-group"
    assert (await client.put(url, json={"code": "beef_balls"}, headers=producer)).status_code == 403
    moved = await client.put(url, json={"code": "beef_balls"}, headers=admin)
    assert moved.status_code == 200 and moved.json() == {"product_id": cast.product_a, "substitute_group": "beef_balls"}


async def test_a_product_cannot_join_a_group_of_another_category_and_the_answer_names_the_field(
    client: Client, cast: Cast
) -> None:
    admin = await sign_in(client, cast.admin)
    url = f"/api/v1/products/{cast.product_a}/substitute-group"  # beef balls: processed meat, not a sauce

    wrong = await client.put(url, json={"code": "fish_sauce"}, headers=admin)
    unknown = await client.put(url, json={"code": "no_such_group"}, headers=admin)
    bad_code = await client.post(
        "/api/v1/substitute-groups",
        json={"code": "Fish Sauce!", "category_code": "sauces_fermented", "name_vi": "x", "name_en": "x"},
        headers=admin,
    )

    assert wrong.status_code == 400 and wrong.json()["extra"][0]["key"] == "code"
    assert unknown.status_code == 404 and unknown.json()["extra"][0]["key"] == "code"
    assert bad_code.status_code == 400 and "code" in bad_code.text


async def test_a_group_saved_unchanged_writes_no_audit_entry(client: Client, cast: Cast, demo_db_url: str) -> None:
    admin = await sign_in(client, cast.admin)

    async def audit_count() -> int:
        engine = db.create_engine(demo_db_url)
        async with db.session_factory(engine)() as session:
            found = await session.scalar(
                select(func.count()).select_from(AuditEntry).where(col(AuditEntry.entity) == "substitute_group")
            )
        await engine.dispose()
        return int(found or 0)

    before = await audit_count()
    same = await client.patch("/api/v1/substitute-groups/fish_sauce", json={"name_en": "Fish sauce"}, headers=admin)

    assert same.status_code == 200
    assert await audit_count() == before
