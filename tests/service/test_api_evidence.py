"""Evidence files on claims: type read from content, at most 5 MB, private to the owner and the province."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.conftest import make_settings
from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120  # a Linux executable


@pytest.fixture
def app(demo_db_url: str, today: date, tmp_path: Path) -> Litestar:
    """The app with its evidence store in a private temporary folder."""
    return create_app(make_settings(demo_db_url, evidence_dir=tmp_path / "evidence"), today=lambda: today)


async def _claim(client: Client, cast: Cast, headers: dict[str, str]) -> int:
    response = await client.post(
        f"/api/v1/products/{cast.product_a}/certifications",
        json={"scheme_code": "OCOP", "ocop_stars": 4, "issued_on": "2026-03-02"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _upload(client: Client, cert_id: int, name: str, content: bytes, headers: dict[str, str]):
    return await client.post(
        f"/api/v1/certifications/{cert_id}/evidence",
        files={"file": (name, content, "application/pdf")},
        headers=headers,
    )


async def test_owner_uploads_a_pdf_and_reads_it_back(client: Client, cast: Cast, tmp_path: Path) -> None:
    owner = await sign_in(client, cast.producer_a)
    cert_id = await _claim(client, cast, owner)
    response = await _upload(client, cert_id, "giay-chung-nhan.pdf", PDF, owner)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["media_type"], body["size_bytes"]) == ("application/pdf", len(PDF))
    digest = hashlib.sha256(PDF).hexdigest()
    assert body["sha256"] == digest
    assert (tmp_path / "evidence" / digest[:2] / digest[2:4] / digest).read_bytes() == PDF
    read = await client.get(body["url"], headers=owner)
    assert read.status_code == 200
    assert read.content == PDF
    assert read.headers["content-type"].startswith("application/pdf")
    assert "no-store" in read.headers["cache-control"]
    admin = await sign_in(client, cast.admin)
    assert (await client.get(body["url"], headers=admin)).content == PDF
    listed = await client.get(f"/api/v1/certifications/{cert_id}/evidence", headers=admin)
    assert [f["url"] for f in listed.json()] == [body["url"]]


async def test_type_comes_from_the_content_not_the_name(client: Client, cast: Cast) -> None:
    owner = await sign_in(client, cast.producer_a)
    cert_id = await _claim(client, cast, owner)
    png = await _upload(client, cert_id, "scan.pdf", PNG, owner)
    assert png.status_code == 201
    assert png.json()["media_type"] == "image/png"


async def test_an_executable_renamed_pdf_is_415(client: Client, cast: Cast) -> None:
    owner = await sign_in(client, cast.producer_a)
    cert_id = await _claim(client, cast, owner)
    response = await _upload(client, cert_id, "chung-nhan.pdf", ELF, owner)
    assert response.status_code == 415
    assert [e["key"] for e in response.json()["extra"]] == ["file"]


async def test_a_6_mb_file_is_413(client: Client, cast: Cast) -> None:
    owner = await sign_in(client, cast.producer_a)
    cert_id = await _claim(client, cast, owner)
    response = await _upload(client, cert_id, "big.pdf", PDF + b"0" * (6 * 1024 * 1024), owner)
    assert response.status_code == 413
    assert [e["key"] for e in response.json()["extra"]] == ["file"]
    huge = await _upload(client, cert_id, "huge.pdf", PDF + b"0" * (11 * 1024 * 1024), owner)
    assert huge.status_code == 413
    assert huge.headers["content-type"].startswith("application/json")


async def test_a_file_of_exactly_5_mb_is_accepted(client: Client, cast: Cast) -> None:
    owner = await sign_in(client, cast.producer_a)
    cert_id = await _claim(client, cast, owner)
    content = PDF + b"0" * (5 * 1024 * 1024 - len(PDF))
    assert (await _upload(client, cert_id, "five.pdf", content, owner)).status_code == 201


async def test_another_producer_can_neither_read_nor_add_evidence(client: Client, cast: Cast) -> None:
    owner = await sign_in(client, cast.producer_a)
    cert_id = await _claim(client, cast, owner)
    url = (await _upload(client, cert_id, "c.pdf", PDF, owner)).json()["url"]
    other = await sign_in(client, cast.producer_b)
    assert (await client.get(url, headers=other)).status_code in (403, 404)
    assert (await _upload(client, cert_id, "mine.pdf", PDF, other)).status_code in (403, 404)
    store = await sign_in(client, cast.store)
    assert (await client.get(url, headers=store)).status_code == 403


async def test_anonymous_readers_get_401(client: Client, cast: Cast) -> None:
    owner = await sign_in(client, cast.producer_a)
    cert_id = await _claim(client, cast, owner)
    url = (await _upload(client, cert_id, "c.pdf", PDF, owner)).json()["url"]
    client.cookies.clear()
    assert (await client.get(url)).status_code == 401
    assert (await _upload(client, cert_id, "c.pdf", PDF, {})).status_code == 401


async def test_a_file_id_of_another_claim_is_not_found(client: Client, cast: Cast) -> None:
    owner = await sign_in(client, cast.producer_a)
    first, second = await _claim(client, cast, owner), await _claim(client, cast, owner)
    file_id = (await _upload(client, first, "c.pdf", PDF, owner)).json()["id"]
    response = await client.get(f"/api/v1/certifications/{second}/evidence/{file_id}", headers=owner)
    assert response.status_code == 404
    assert [e["key"] for e in response.json()["extra"]] == ["file_id"]
