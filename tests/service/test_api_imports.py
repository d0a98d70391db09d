import csv
import io

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.csv_files import PRODUCT_HEADER, product_gtin, product_rows, to_csv
from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]


async def _published_total(client: Client) -> int:
    return (await client.get("/api/v1/products", params={"per_page": 1})).json()["total"]


async def test_one_bad_row_in_a_thousand_is_named_and_nothing_is_written(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.producer_a)
    rows = product_rows(1000)
    good = product_gtin(499)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    rows[499][3] = bad  # the 500th product: spreadsheet row 501 (the header is row 1)
    before = await _published_total(client)
    response = await client.post(
        "/api/v1/imports/products",
        files={"file": ("honey.csv", to_csv(PRODUCT_HEADER, rows), "text/csv")},
        headers=headers,
    )
    assert response.status_code == 400, response.text
    assert response.json()["extra"] == [
        {
            "row": 501,
            "key": "gtin",
            "message": f"GTIN {bad} has a wrong check digit: expected {good[-1]}, got {bad[-1]}",
        }
    ]
    assert await _published_total(client) == before

    rows[499][3] = good
    response = await client.post(
        "/api/v1/imports/products",
        files={"file": ("honey.csv", to_csv(PRODUCT_HEADER, rows), "text/csv")},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert response.json() == {"imported": 1000}
    assert await _published_total(client) == before + 1000


async def test_a_store_imports_listings_sent_as_a_plain_csv_body(client: Client, cast: Cast) -> None:
    headers = {**await sign_in(client, cast.store), "Content-Type": "text/csv"}
    body = to_csv(["product_id", "price_vnd", "shelf"], [[str(cast.product_b), "65.000", "Kệ OCOP 3"]])
    response = await client.post("/api/v1/imports/listings", content=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json() == {"imported": 1}
    stocked = await client.get("/api/v1/products", params={"store": cast.store_id, "per_page": 100})
    assert cast.product_b in {p["id"] for p in stocked.json()["items"]}


async def test_a_store_cannot_import_into_another_store(client: Client, cast: Cast) -> None:
    headers = {**await sign_in(client, cast.store), "Content-Type": "text/csv"}
    body = to_csv(["product_id"], [[str(cast.product_b)]])
    response = await client.post(
        "/api/v1/imports/listings", params={"store": cast.other_store_id}, content=body, headers=headers
    )
    assert response.status_code == 403


async def test_an_oversized_upload_is_refused_before_it_is_read(client: Client, cast: Cast) -> None:
    headers = {**await sign_in(client, cast.producer_a), "Content-Type": "text/csv"}
    body = to_csv(PRODUCT_HEADER, product_rows(1)) + b"x" * (5 * 1024 * 1024)
    response = await client.post("/api/v1/imports/products", content=body, headers=headers)
    assert response.status_code == 413


async def test_exports_neutralise_spreadsheet_formulas(client: Client, cast: Cast) -> None:
    producer = await sign_in(client, cast.producer_a)
    rows = product_rows(1)
    rows[0][0] = '=HYPERLINK("http://evil.example","Mật ong")'
    rows[0][6] = "+84 290 3831 234"
    imported = await client.post(
        "/api/v1/imports/products",
        files={"file": ("x.csv", to_csv(PRODUCT_HEADER, rows), "text/csv")},
        headers=producer,
    )
    assert imported.status_code == 201, imported.text
    response = await client.get("/api/v1/products.csv", headers=producer)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text.removeprefix("\ufeff"))))
    honey = next(row for row in table if "HYPERLINK" in row["name_vi"])
    assert honey["name_vi"] == '\'=HYPERLINK("http://evil.example","Mật ong")'
    assert honey["description_vi"] == "'+84 290 3831 234"
    assert honey["packaging"] == "primary:GLASS:250;closure:STEEL_TIN"
    assert {row["id"] for row in table} >= {str(cast.product_a)}


async def test_store_exports_its_own_listings_only(client: Client, cast: Cast) -> None:
    store = await sign_in(client, cast.store)
    mine = await client.get(f"/api/v1/stores/{cast.store_id}/listings.csv", headers=store)
    assert mine.status_code == 200
    header = mine.text.removeprefix("\ufeff").splitlines()[0]
    assert header == "listing_id,product_id,gtin,name_vi,price_vnd,shelf,active"
    assert len(mine.text.splitlines()) > 1
    assert (await client.get(f"/api/v1/stores/{cast.other_store_id}/listings.csv", headers=store)).status_code == 403
