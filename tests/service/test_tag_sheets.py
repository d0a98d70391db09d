from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog.products import Product
from catalog.stores import Listing
from catalog.tags import CROCKFORD, ShelfTag
from service import tag_sheets
from tests.scanning import pdf_page_png, pdf_pages, pdf_text, scan_png

BASE = "https://xanh.camau.example"


async def _face(session: AsyncSession, gtin: str, today: date, price: int | None = 185_000) -> tag_sheets.TagFace:
    product = await session.scalar(select(Product).where(col(Product.gtin) == gtin))
    assert product is not None and product.id is not None
    listing = Listing(store_id=1, product_id=product.id, price_vnd=price)
    return tag_sheets.face(ShelfTag(code="7K3QZ9MB", product_id=product.id), product, listing, BASE, today)


async def test_a_label_shows_only_the_renewed_ocop_rating(session: AsyncSession, today: date) -> None:
    face = await _face(session, "02000000000015", today)
    assert face.ocop_stars == 4  # the 3-star rating expired; the 4-star renewal holds
    assert face.name.startswith("Bò viên")
    assert face.url == f"{BASE}/t/7K3QZ9MB"


async def test_a_label_prices_in_vietnamese_dong(session: AsyncSession, today: date) -> None:
    assert (await _face(session, "02000000000015", today)).price == "185.000\xa0₫"
    assert (await _face(session, "02000000000015", today, price=None)).price is None


async def test_a_label_badges_verified_labels_but_not_rejected_or_self_declared(
    session: AsyncSession, today: date
) -> None:
    assert (await _face(session, "09506000134352", today)).badges == ("Nhãn sinh thái VN",)
    assert (await _face(session, "09506000134468", today)).badges == ()  # GLOBALG.A.P. claim was rejected
    assert (await _face(session, "09506000134376", today)).badges == ()  # self-declared "compostable"


async def test_a_certificate_that_has_expired_by_print_day_drops_off_the_label(session: AsyncSession) -> None:
    assert (await _face(session, "09506000134352", date(2028, 6, 1))).badges == ()


async def test_plastic_free_mark_follows_the_packaging(session: AsyncSession, today: date) -> None:
    products = (await session.scalars(select(Product).order_by(col(Product.id)))).all()
    plastic_free = next(p for p in products if p.is_plastic_free)
    wrapped = next(p for p in products if not p.is_plastic_free)
    assert (await _face(session, plastic_free.gtin or "", today)).plastic_free
    assert not (await _face(session, wrapped.gtin or "", today)).plastic_free


def _faces(count: int) -> list[tag_sheets.TagFace]:
    def code(i: int) -> str:
        return "".join(CROCKFORD[(i >> (5 * k)) % 32] for k in range(8))[::-1]

    return [
        tag_sheets.TagFace(
            code=code(i),
            url=f"{BASE}/t/{code(i)}",
            name=f"Mắm tôm chà Đầm Dơi số {i}",
            producer="Hợp tác xã Ba khía Đầm Dơi",
            ocop_stars=4 if i % 2 else None,
            badges=("VietGAP",) if i % 3 == 0 else (),
            plastic_free=i % 5 == 0,
            price="185.000\xa0₫",
        )
        for i in range(count)
    ]


def test_vietnamese_stars_and_dong_print_as_text() -> None:
    pdf = tag_sheets.render_pdf(_faces(3), tag_sheets.SheetLayout())
    words = " ".join(pdf_text(pdf, 1).replace("\xa0", " ").split())
    assert "Mắm tôm chà Đầm Dơi số 1" in words
    assert "OCOP ★★★★" in words
    assert "185.000 ₫" in words
    assert "Không nhựa" in words and "VietGAP" in words


def test_a_200_tag_sheet_renders_on_nine_pages() -> None:
    faces = _faces(200)
    seen: list[int] = []
    pdf = tag_sheets.render_pdf(faces, tag_sheets.SheetLayout(), progress=seen.append)
    assert pdf_pages(pdf) == 9
    assert sum(seen) == 200
    last = {s.text for s in scan_png(pdf_page_png(pdf, 9))}
    assert last == {f.url for f in faces[192:]}


def test_an_empty_sheet_is_one_blank_page() -> None:
    assert pdf_pages(tag_sheets.render_pdf([], tag_sheets.SheetLayout())) == 1


@pytest.mark.parametrize(("columns", "rows"), [(0, 8), (6, 8), (3, 13)])
def test_a_grid_outside_label_stock_sizes_is_refused(columns: int, rows: int) -> None:
    with pytest.raises(ValueError, match=r"columns|rows"):
        tag_sheets.SheetLayout(columns=columns, rows=rows)


def test_default_grid_is_common_70_by_36_mm_stock() -> None:
    layout = tag_sheets.SheetLayout()
    assert (layout.per_page, layout.label_mm) == (24, (70.0, 36.0))
