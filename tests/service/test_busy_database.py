"""A write that finds SQLite locked answers 503 with Retry-After, never 500."""

import sqlite3

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.database_locks import sqlite_path
from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]
HONEY = {"name_vi": "Mật ong khoái U Minh", "category_code": "bee_products"}


async def test_a_write_to_a_locked_sqlite_database_answers_503_with_retry_after(
    client: Client, cast: Cast, demo_db_url: str, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    headers = await sign_in(client, cast.producer_a)
    holder = sqlite3.connect(sqlite_path(demo_db_url), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process's long write, as a big import used to be
        response = await client.post("/api/v1/products", json=HONEY, headers=headers)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"].isdigit()
    assert "busy" in response.json()["detail"]
    assert (await client.post("/api/v1/products", json=HONEY, headers=headers)).status_code == 201
