from urllib.parse import urlsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog.products import Product
from catalog.stores import Listing, Store
from catalog.tags import ShelfTag
from tests.scanning import DPI, pdf_page_png, pdf_pages, pdf_text, scan_png, svg_to_png

Client = AsyncTestClient[Litestar]
BASE = "http://127.0.0.1:8000"  # the test app's GREENSHELF_PUBLIC_BASE_URL


@pytest.fixture(autouse=True)
def _signed_in_as_admin(client: Client, admin_headers: dict[str, str]) -> None:
    """Who may issue tags is tested in test_api_tags_access.py; here an admin does it all."""
    client.headers.update(admin_headers)


async def _store(session: AsyncSession, code: str) -> int:
    store_id = await session.scalar(select(Store.id).where(col(Store.code) == code))
    assert store_id is not None
    return store_id


async def _listed_product(session: AsyncSession, store_id: int) -> int:
    product_id = await session.scalar(
        select(Listing.product_id).where(col(Listing.store_id) == store_id).order_by(col(Listing.id))
    )
    assert product_id is not None
    return product_id


async def test_a_tag_created_through_the_api_scans_to_its_url(client: Client, session: AsyncSession) -> None:
    store_id = await _store(session, "ST01")
    product_id = await _listed_product(session, store_id)
    response = await client.post("/api/v1/tags", json={"product_id": product_id, "store_id": store_id})
    assert response.status_code == 201
    tag = response.json()
    assert tag["url"] == f"{BASE}/t/{tag['code']}"
    assert urlsplit(tag["url"]).path == f"/t/{tag['code']}"
    png = await client.get(f"/api/v1/tags/{tag['code']}/qr.png")
    svg = await client.get(f"/api/v1/tags/{tag['code']}/qr.svg")
    assert png.headers["content-type"] == "image/png"
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert [s.text for s in scan_png(png.content)] == [tag["url"]]
    assert [s.text for s in scan_png(svg_to_png(svg.content))] == [tag["url"]]
    page = await client.get(urlsplit(tag["url"]).path)
    assert page.status_code == 200
    assert (await client.get(f"/api/v1/products/{product_id}")).json()["name_vi"] in page.text


async def test_asking_again_for_the_same_product_and_store_answers_the_same_tag(
    client: Client, session: AsyncSession
) -> None:
    store_id = await _store(session, "ST01")
    body = {"product_id": await _listed_product(session, store_id), "store_id": store_id}
    first = await client.post("/api/v1/tags", json=body)
    again = await client.post("/api/v1/tags", json=body)
    without_store = await client.post("/api/v1/tags", json={"product_id": body["product_id"]})
    assert (first.status_code, again.status_code, without_store.status_code) == (201, 200, 201)
    assert again.json()["code"] == first.json()["code"] != without_store.json()["code"]
    assert without_store.json()["store_id"] is None


async def test_a_store_cannot_tag_a_product_it_does_not_stock(client: Client, session: AsyncSession) -> None:
    product_id = await _listed_product(session, await _store(session, "ST01"))
    response = await client.post(
        "/api/v1/tags", json={"product_id": product_id, "store_id": await _store(session, "ST08")}
    )
    assert response.status_code == 409
    assert [e["key"] for e in response.json()["extra"]] == ["product_id"]


@pytest.mark.parametrize(("body", "status"), [({"product_id": 999999}, 404), ({"product_id": 0}, 400), ({}, 400)])
async def test_a_bad_product_id_is_refused_naming_it(client: Client, body: dict[str, int], status: int) -> None:
    response = await client.post("/api/v1/tags", json=body)
    assert response.status_code == status
    assert "product_id" in {e["key"] for e in response.json()["extra"]}


async def test_bulk_issue_tags_every_listing_once(client: Client, session: AsyncSession) -> None:
    store_id = await _store(session, "ST07")
    first = await client.post(f"/api/v1/stores/{store_id}/tags")
    again = await client.post(f"/api/v1/stores/{store_id}/tags")
    assert (first.status_code, again.status_code) == (201, 200)
    assert (first.json()["created"], again.json()["created"]) == (26, 0)
    codes = [t["code"] for t in first.json()["items"]]
    assert len(set(codes)) == 26
    assert [t["code"] for t in again.json()["items"]] == codes
    assert (await client.post("/api/v1/stores/99999/tags")).status_code == 404


async def test_qr_images_are_cached_forever_and_revalidate_with_a_304(client: Client, session: AsyncSession) -> None:
    product_id = await _listed_product(session, await _store(session, "ST01"))
    code = (await client.post("/api/v1/tags", json={"product_id": product_id})).json()["code"]
    path = f"/api/v1/tags/{code}/qr.png"
    first = await client.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')  # strong
    cache = {d.strip() for d in first.headers["cache-control"].split(",")}
    assert {"public", "immutable", "max-age=31536000"} <= cache
    assert (await client.get(path)).headers["etag"] == etag
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        revalidated = await client.get(path, headers={"If-None-Match": sent})
        assert revalidated.status_code == 304, sent
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == etag
    assert (await client.get(path, headers={"If-None-Match": '"other"'})).status_code == 200
    assert (await client.get(path, params={"size": 4})).headers["etag"] != etag


@pytest.mark.parametrize("kind", ["png", "svg"])
async def test_unknown_code_is_a_404_json_naming_the_code(client: Client, kind: str) -> None:
    for code in ("ZZZZZZZZ", "not-a-code"):
        response = await client.get(f"/api/v1/tags/{code}/qr.{kind}")
        assert response.status_code == 404
        assert [e["key"] for e in response.json()["extra"]] == ["code"]


@pytest.mark.parametrize("size", [0, 41])
async def test_qr_size_is_bounded(client: Client, session: AsyncSession, size: int) -> None:
    product_id = await _listed_product(session, await _store(session, "ST01"))
    code = (await client.post("/api/v1/tags", json={"product_id": product_id})).json()["code"]
    response = await client.get(f"/api/v1/tags/{code}/qr.png", params={"size": size})
    assert response.status_code == 400
    assert [e["key"] for e in response.json()["extra"]] == ["size"]


async def test_each_of_24_tags_on_page_one_decodes_to_its_own_url(client: Client, session: AsyncSession) -> None:
    store_id = await _store(session, "ST07")
    assert (await client.post(f"/api/v1/stores/{store_id}/tags")).status_code == 201
    response = await client.get(f"/api/v1/stores/{store_id}/tags.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    assert pdf_pages(pdf) == 2  # 26 listings on 3 × 8 labels
    scans = scan_png(pdf_page_png(pdf, 1))
    assert len(scans) == 24
    assert len({s.text for s in scans}) == 24
    rows = (
        await session.execute(
            select(ShelfTag.code, Product.name_vi, Listing.price_vnd)
            .join(Product, col(Product.id) == col(ShelfTag.product_id))
            .join(Listing, (col(Listing.product_id) == col(Product.id)) & (col(Listing.store_id) == store_id))
            .where(col(ShelfTag.store_id) == store_id)
        )
    ).all()
    printed = {code: (name, price) for code, name, price in rows}
    label_w, label_h = 70 / 25.4 * DPI, 36 / 25.4 * DPI
    top = 4.5 / 25.4 * DPI
    for scan in scans:
        assert scan.text.startswith(f"{BASE}/t/")
        code = scan.text.rsplit("/", 1)[1]
        assert code in printed
        # The words printed on the same label as this QR code name the same tag, product and price.
        column, row = int(scan.left // label_w), int((scan.top - top) // label_h)
        box = (int(column * label_w), int(top + row * label_h), int(label_w), int(label_h))
        words = " ".join(pdf_text(pdf, 1, box).replace("\xa0", " ").split())
        name, price = printed[code]
        assert code in words
        assert " ".join(name.split()[:2]) in words
        assert f"{price:,}".replace(",", ".") + " ₫" in words
        assert (await client.get(urlsplit(scan.text).path)).status_code == 200


async def test_sheet_grid_follows_columns_and_rows(client: Client, session: AsyncSession) -> None:
    store_id = await _store(session, "ST07")
    assert (await client.post(f"/api/v1/stores/{store_id}/tags")).status_code == 201
    response = await client.get(f"/api/v1/stores/{store_id}/tags.pdf", params={"columns": 2, "rows": 4})
    assert pdf_pages(response.content) == 4  # 26 labels, 8 a page
    assert len({s.text for s in scan_png(pdf_page_png(response.content, 1))}) == 8
    refused = await client.get(f"/api/v1/stores/{store_id}/tags.pdf", params={"columns": 9})
    assert refused.status_code == 400
    assert [e["key"] for e in refused.json()["extra"]] == ["columns"]
    assert (await client.get("/api/v1/stores/99999/tags.pdf")).status_code == 404
