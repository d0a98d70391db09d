"""Concurrent writers: a 1,000-row import does not starve other writers, and a locked SQLite answers 503."""

import asyncio
import sqlite3

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.csv_files import PRODUCT_HEADER, product_rows, to_csv
from tests.database_locks import product_insert_in_progress, sqlite_path
from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]
IMPORT_DEADLINE_S = 300.0
PROBE_INTERVAL_S = 0.005
HONEY = {"name_vi": "Mật ong khoái U Minh", "category_code": "bee_products"}


async def test_a_product_posted_while_a_thousand_row_import_writes_is_saved(
    client: Client, cast: Cast, demo_db_url: str
) -> None:
    headers = await sign_in(client, cast.producer_a)
    importing = asyncio.create_task(
        client.post(
            "/api/v1/imports/products",
            files={"file": ("honey.csv", to_csv(PRODUCT_HEADER, product_rows(1000)), "text/csv")},
            headers=headers,
        )
    )
    deadline = asyncio.get_running_loop().time() + IMPORT_DEADLINE_S
    # The import's write transaction is short (that is the point), so look for it often.
    while not await product_insert_in_progress(demo_db_url):
        assert not importing.done(), f"the import ended before it was seen writing: {importing.result().text}"
        assert asyncio.get_running_loop().time() < deadline, "the import never started writing"
        await asyncio.sleep(PROBE_INTERVAL_S)
    created = await client.post("/api/v1/products", json=HONEY, headers=headers)
    assert created.status_code == 201, created.text
    imported = await importing
    assert imported.status_code == 201, imported.text
    assert imported.json() == {"imported": 1000}


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
