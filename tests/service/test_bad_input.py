"""Input no client should send still gets a 4xx naming what is wrong, never a 500, on both databases."""

import logging

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from catalog.columns import MAX_ID
from tests.plugins.accounts import Cast

Client = AsyncTestClient[Litestar]
JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("too_big", [MAX_ID + 1, 2**63])
async def test_an_id_beyond_the_databases_range_is_not_found_in_a_path_and_refused_in_a_query(
    client: Client, admin_headers: dict[str, str], too_big: int
) -> None:
    for path in (f"/api/v1/producers/{too_big}", f"/api/v1/products/{too_big}", f"/api/v1/stores/{too_big}"):
        response = await client.get(path)
        assert response.status_code == 404, (path, response.text)
        assert response.headers["content-type"].startswith("application/json")
    query = await client.get(f"/api/v1/products?producer={too_big}")
    assert query.status_code == 400
    assert query.json()["extra"][0]["key"] == "producer"
    body = await client.post("/api/v1/tags", json={"product_id": too_big}, headers=admin_headers)
    assert body.status_code == 400
    assert body.json()["extra"][0]["key"] == "product_id"


async def test_a_taken_store_code_is_a_conflict_naming_the_code(client: Client, admin_headers: dict[str, str]) -> None:
    store = {"code": "ST-DUP", "name": "Cửa hàng thử", "store_type": "ocop_shop"}
    assert (await client.post("/api/v1/stores", json=store, headers=admin_headers)).status_code == 201
    again = await client.post("/api/v1/stores", json={**store, "name": "Khác"}, headers=admin_headers)
    assert again.status_code == 409
    assert again.json()["extra"][0]["key"] == "code"


@pytest.mark.parametrize("field", ["status", "category_code", "name_vi"])
async def test_null_on_a_required_field_in_a_patch_is_refused_naming_it(
    client: Client, cast: Cast, admin_headers: dict[str, str], field: str
) -> None:
    version = (await client.get(f"/api/v1/products/{cast.product_a}")).json()["version"]
    response = await client.patch(
        f"/api/v1/products/{cast.product_a}", json={"version": version, field: None}, headers=admin_headers
    )
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == field


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"name_vi": "\xff\xfe", "category_code": "x"}', "not UTF-8 at byte 13"),
        (b"[" * 10_000 + b"]" * 10_000, "nested too deeply"),
        (b'{"name_vi": "a', "at byte 14, the end of the body"),
        (b'{"name_vi": "a\\u0000b", "category_code": "FOOD"}', "NUL"),
    ],
    ids=["invalid-utf8", "deep-nesting", "truncated", "nul"],
)
async def test_a_body_that_is_not_clean_json_is_refused_saying_where(
    client: Client, admin_headers: dict[str, str], body: bytes, says: str
) -> None:
    response = await client.post("/api/v1/products", content=body, headers={**admin_headers, **JSON})
    assert response.status_code == 400
    assert says in response.json()["detail"]


async def test_nul_in_a_login_email_or_a_page_address_is_refused(client: Client) -> None:
    login = await client.post(
        "/api/v1/auth/token", content=b'{"email": "a\\u0000@x.vn", "password": "0123456789"}', headers=JSON
    )
    assert login.status_code == 400
    page = await client.get("/p/a%00b")
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    search = await client.get("/api/v1/products?category=a%00")
    assert search.status_code == 400


async def test_control_characters_are_stripped_from_names(
    client: Client, cast: Cast, admin_headers: dict[str, str]
) -> None:
    version = (await client.get(f"/api/v1/products/{cast.product_a}")).json()["version"]
    response = await client.patch(
        f"/api/v1/products/{cast.product_a}",
        json={"version": version, "name_en": "Beef\x1b[31m balls\x07"},
        headers=admin_headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["name_en"] == "Beef[31m balls"


async def test_validation_errors_name_the_field_but_do_not_echo_the_url(client: Client) -> None:
    response = await client.get("/api/v1/products?per_page=" + "9" * 3000)
    assert response.status_code == 400
    assert len(response.text) < 400
    assert response.json()["detail"] == "invalid input for GET /api/v1/products"
    assert response.json()["extra"][0]["key"] == "per_page"


async def test_errors_of_image_and_file_routes_are_json(client: Client, cast: Cast) -> None:
    for path in (
        "/api/v1/tags/ZZZZZZZZ/qr.png?size=999",
        "/api/v1/tags/ZZZZZZZZ/qr.svg",
        "/api/v1/stores/999999/tags.pdf",
        f"/api/v1/stores/{cast.store_id}/listings.csv",
    ):
        response = await client.get(path)
        assert 400 <= response.status_code < 500, path
        assert response.headers["content-type"] == "application/json", path
        assert "detail" in response.json()


async def test_a_4xx_is_one_info_line_without_traceback(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        assert (await client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense"})).status_code == 401
    records = [r for r in caplog.records if r.name == "greenshelf.errors"]
    assert [(r.levelno, r.exc_info) for r in records] == [(logging.INFO, None)]
    assert "401" in records[0].getMessage()


async def test_datetimes_in_the_api_carry_a_timezone(client: Client, cast: Cast) -> None:
    updated = (await client.get(f"/api/v1/products/{cast.product_a}")).json()["updated_at"]
    assert updated.endswith(("+00:00", "Z")), updated


async def test_options_on_a_product_lists_patch(client: Client, cast: Cast) -> None:
    response = await client.options(f"/api/v1/products/{cast.product_a}")
    assert {"GET", "PATCH"} <= {m.strip() for m in response.headers["allow"].split(",")}
