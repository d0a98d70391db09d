"""Open data: the published catalog with valid labels only, no personal data, a licence line, rebuilt on change."""

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlmodel import col, func, select

from catalog import db
from catalog.certifications import CertificationStatus
from catalog.producers import EntityType
from catalog.products import Product, ProductStatus
from service.app import create_app
from tests import build
from tests.conftest import make_settings

Client = AsyncTestClient[Litestar]
ON = date(2026, 11, 25)


@pytest.fixture
async def open_client(demo_db_url: str, tmp_path: Path) -> AsyncIterator[Client]:
    """The app on the demo catalog, building its open-data files in a private folder."""
    settings = make_settings(demo_db_url, open_data_dir=str(tmp_path / "open-data"))
    async with AsyncTestClient(create_app(settings, today=lambda: ON)) as client:
        yield client


async def _add(url: str, **producer: object) -> int:
    engine = db.create_engine(url)
    async with db.session_factory(engine)() as session, session.begin():
        maker = await build.producer(session, **producer)
        product = await build.product(session, maker=maker, name_vi="Rau muống sạch Tân Lộc")
        await build.certification(
            session, product, scheme="VN_ECOLABEL", issued_on=date(2022, 1, 1), valid_until=date(2024, 12, 31)
        )
        await build.certification(
            session, product, scheme="VIETGAP", issued_on=date(2025, 6, 1), valid_until=date(2027, 5, 31)
        )
        await build.certification(session, product, scheme="VN_ORGANIC", status=CertificationStatus.CLAIMED)
        assert product.id is not None
        product_id = product.id
    await engine.dispose()
    return product_id


async def _published(url: str) -> int:
    engine = db.create_engine(url)
    async with db.session_factory(engine)() as session:
        n = await session.scalar(
            select(func.count()).select_from(Product).where(col(Product.status) == ProductStatus.PUBLISHED)
        )
    await engine.dispose()
    return n or 0


async def test_jsonl_has_a_licence_line_then_every_published_product_without_personal_data(
    open_client: Client, demo_db_url: str
) -> None:
    response = await open_client.get("/open-data/products.jsonl")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    assert 'rel="license"' in response.headers["link"]
    lines = response.text.splitlines()
    notice = json.loads(lines[0])
    assert notice["licence"] == "CC-BY-4.0" and notice["generated_on"] == ON.isoformat()
    products = [json.loads(line) for line in lines[1:]]
    assert len(products) == await _published(demo_db_url)
    text = response.text.lower()
    for personal in ('"email"', '"phone"', '"street"', "password", '"legacy_address"'):
        assert personal not in text
    assert all(
        label["valid_until"] is None or label["valid_until"] >= ON.isoformat()
        for p in products
        for label in p["labels"]
    )


async def test_a_catalog_change_rebuilds_the_files_with_valid_labels_only(
    open_client: Client, demo_db_url: str, tmp_path: Path
) -> None:
    before = await open_client.get("/open-data/products.csv")
    assert before.status_code == 200
    assert before.headers["content-type"] == "text/csv; charset=utf-8"
    assert before.text.startswith("# licence: CC-BY-4.0 ")
    product_id = await _add(
        demo_db_url,
        legal_name="Hộ kinh doanh Nguyễn Văn Tư",
        brand="Rau Tân Lộc",
        entity_type=EntityType.HOUSEHOLD_BUSINESS,
    )
    after = await open_client.get("/open-data/products.csv")
    rows = list(csv.DictReader(io.StringIO(after.text.split("\n", 1)[1])))
    added = next(r for r in rows if r["id"] == str(product_id))
    assert added["labels"].startswith("VIETGAP:") and "VN_ECOLABEL" not in added["labels"]
    assert "VN_ORGANIC" not in added["labels"]
    # A household business is often a person's name: only its brand is published.
    assert added["producer_name"] == "Rau Tân Lộc" and "Nguyễn Văn Tư" not in after.text
    assert len(rows) == len(list(csv.DictReader(io.StringIO(before.text.split("\n", 1)[1])))) + 1
    folder = tmp_path / "open-data"
    assert sorted(p.name for p in folder.iterdir()) == ["products.csv", "products.generation", "products.jsonl"]


async def test_only_jsonl_and_csv_exist(open_client: Client) -> None:
    assert (await open_client.get("/open-data/products.xml")).status_code == 404
