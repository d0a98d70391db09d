"""Pytest plugin: admin, producer and store accounts on the demo catalog, and signing them in."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import accounts as catalog_accounts
from catalog import db
from catalog.accounts import AccountDraft, Role
from catalog.products import Product, ProductStatus
from catalog.stores import Store
from service import auth

PASSWORD = "mật khẩu đủ dài 2026"


@dataclass(frozen=True)
class Cast:
    """Who is who in a test: two producers, a store and the province, each with an account."""

    admin: str
    producer_a: str
    producer_b: str
    store: str
    producer_a_id: int
    producer_b_id: int
    store_id: int
    other_store_id: int
    product_a: int  # published, made by producer A
    product_b: int  # published, made by producer B


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One Argon2 hash for the whole session: hashing is deliberately slow."""
    return auth.hash_password(PASSWORD)


async def add_account(session: AsyncSession, email: str, role: Role, password_hash: str, **tenant: int) -> None:
    """Create an account with the session's password."""
    draft = AccountDraft(email=email, role=role, **tenant)
    await catalog_accounts.create(session, draft, password_hash=password_hash, actor_id=None)


@pytest.fixture
async def cast(demo_db_url: str, password_hash: str) -> AsyncIterator[Cast]:
    """Accounts for producer A (Bò viên Thúy Lực's), producer B, store ST01 and an admin."""
    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as session, session.begin():
        product_a = await session.scalar(select(Product).where(col(Product.code) == "P001"))
        assert product_a is not None and product_a.id is not None
        product_b = await session.scalar(
            select(Product)
            .where(col(Product.producer_id) != product_a.producer_id, col(Product.status) == ProductStatus.PUBLISHED)
            .order_by(col(Product.id))
        )
        assert product_b is not None and product_b.id is not None
        store_ids = [s.id for s in (await session.execute(select(Store).order_by(col(Store.code)))).scalars()]
        assert store_ids[0] is not None and store_ids[1] is not None
        result = Cast(
            admin="so.cong.thuong@camau.gov.vn",
            producer_a="thuyluc@example.vn",
            producer_b="producer.b@example.vn",
            store="coopmart@example.vn",
            producer_a_id=product_a.producer_id,
            producer_b_id=product_b.producer_id,
            store_id=store_ids[0],
            other_store_id=store_ids[1],
            product_a=product_a.id,
            product_b=product_b.id,
        )
        await add_account(session, result.admin, Role.ADMIN, password_hash)
        await add_account(session, result.producer_a, Role.PRODUCER, password_hash, producer_id=result.producer_a_id)
        await add_account(session, result.producer_b, Role.PRODUCER, password_hash, producer_id=result.producer_b_id)
        await add_account(session, result.store, Role.STORE, password_hash, store_id=result.store_id)
    await engine.dispose()
    yield result


async def sign_in(client: AsyncTestClient[Litestar], email: str, password: str = PASSWORD) -> dict[str, str]:
    """Headers carrying a bearer token from the real login endpoint."""
    response = await client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def admin_headers(client: AsyncTestClient[Litestar], demo_db_url: str, password_hash: str) -> dict[str, str]:
    """A signed-in admin, for tests about something other than who may do it."""
    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as session, session.begin():
        await add_account(session, "quan.tri@camau.gov.vn", Role.ADMIN, password_hash)
    await engine.dispose()
    return await sign_in(client, "quan.tri@camau.gov.vn")
