"""What a tag sheet prints: all tags, chosen codes, tags not yet printed, from any position; GET writes nothing."""

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog.audit import AuditEntry
from catalog.stores import Store
from catalog.tags import ShelfTag
from tests.scanning import DPI, pdf_page_png, pdf_pages, pdf_text, scan_png

Client = AsyncTestClient[Litestar]
MM = DPI / 25.4


@pytest.fixture(autouse=True)
def _signed_in_as_admin(client: Client, admin_headers: dict[str, str]) -> None:
    client.headers.update(admin_headers)


async def _store(session: AsyncSession, code: str = "ST07") -> int:
    store_id = await session.scalar(select(Store.id).where(col(Store.code) == code))
    assert store_id is not None
    return store_id


async def _issued(client: Client, store_id: int) -> list[str]:
    response = await client.post(f"/api/v1/stores/{store_id}/tags")
    assert response.status_code in (200, 201)
    return [item["code"] for item in response.json()["items"]]


async def _count(session: AsyncSession, table: type) -> int:
    return await session.scalar(select(func.count()).select_from(table)) or 0


def _codes_on(pdf: bytes, page: int = 1) -> set[str]:
    return {scan.text.rsplit("/", 1)[1] for scan in scan_png(pdf_page_png(pdf, page))}


async def test_defect_10_9_get_tag_sheet_never_issues_tags_or_writes_audit_rows(
    client: Client, session: AsyncSession
) -> None:
    store_id = await _store(session)
    tags_before, audit_before = await _count(session, ShelfTag), await _count(session, AuditEntry)
    response = await client.get(f"/api/v1/stores/{store_id}/tags.pdf")
    assert response.status_code == 200
    session.expire_all()
    assert (await _count(session, ShelfTag), await _count(session, AuditEntry)) == (tags_before, audit_before)
    assert scan_png(pdf_page_png(response.content, 1)) == []  # no tag issued yet, so nothing to print
    issued = await _issued(client, store_id)
    assert len(issued) == 26
    printed = await client.get(f"/api/v1/stores/{store_id}/tags.pdf")
    assert pdf_pages(printed.content) == 2


async def test_codes_prints_only_the_chosen_tags(client: Client, session: AsyncSession) -> None:
    store_id = await _store(session)
    chosen = (await _issued(client, store_id))[3:5]
    response = await client.get(f"/api/v1/stores/{store_id}/tags.pdf", params={"codes": ",".join(chosen)})
    assert response.status_code == 200
    assert pdf_pages(response.content) == 1
    assert _codes_on(response.content) == set(chosen)


async def test_only_new_leaves_out_tags_marked_printed(client: Client, session: AsyncSession) -> None:
    store_id = await _store(session)
    codes = await _issued(client, store_id)
    marked = await client.post(f"/api/v1/stores/{store_id}/tags/printed", json={"codes": codes[:20]})
    assert marked.status_code == 200
    assert sorted(marked.json()["printed"]) == sorted(codes[:20])
    response = await client.get(f"/api/v1/stores/{store_id}/tags.pdf", params={"only": "new"})
    assert _codes_on(response.content) == set(codes[20:])


async def test_a_single_tag_lands_at_the_start_position_of_a_partly_used_sheet(
    client: Client, session: AsyncSession
) -> None:
    store_id = await _store(session)
    code = (await _issued(client, store_id))[0]
    response = await client.get(f"/api/v1/stores/{store_id}/tags.pdf", params={"codes": code, "start": 5})
    (scan,) = scan_png(pdf_page_png(response.content, 1))
    assert scan.text.endswith(f"/t/{code}")
    # Position 5 on a 3 × 8 sheet of 70 × 36 mm labels is the second column of the second row.
    assert (int(scan.left // (70 * MM)), int((scan.top - 4.5 * MM) // (36 * MM))) == (1, 1)


async def test_every_label_carries_the_call_to_action_and_the_service_name(
    client: Client, session: AsyncSession
) -> None:
    store_id = await _store(session)
    code = (await _issued(client, store_id))[0]
    response = await client.get(f"/api/v1/stores/{store_id}/tags.pdf", params={"codes": code})
    words = " ".join(pdf_text(response.content, 1).replace("\xa0", " ").split())
    assert "Quét để xem nhãn xanh" in words
    assert f"Green Shelf · {code}" in words


async def test_sheet_choices_that_cannot_be_printed_answer_4xx_naming_the_field(
    client: Client, session: AsyncSession
) -> None:
    store_id = await _store(session)
    await _issued(client, store_id)
    url = f"/api/v1/stores/{store_id}/tags.pdf"
    cases = [
        ({"codes": "NOT-A-CODE"}, 400, "codes"),
        ({"codes": "ZZZZZZZZ"}, 404, "codes"),
        ({"start": 25}, 400, "start"),
        ({"start": 0}, 400, "start"),
        ({"only": "old"}, 400, "only"),
    ]
    for params, status, field in cases:
        response = await client.get(url, params=params)
        assert response.status_code == status, params
        assert field in [e["key"] for e in response.json()["extra"]], params
