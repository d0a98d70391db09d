import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from catalog import imports
from catalog.imports import ImportRejected, RowProblem
from catalog.packaging import PackagingRole
from catalog.products import Product
from catalog.stores import Listing, Store
from tests.csv_files import PRODUCT_HEADER, product_rows, to_csv


async def _producer_id(session: AsyncSession) -> int:
    product = await session.scalar(select(Product).where(col(Product.code) == "P001"))
    assert product is not None
    return product.producer_id


async def _count(session: AsyncSession, table: type) -> int:
    return await session.scalar(select(func.count()).select_from(table)) or 0


async def test_valid_rows_become_products_with_their_packaging(session: AsyncSession) -> None:
    async with session.begin():
        producer_id = await _producer_id(session)
        drafts = await imports.check_products(session, to_csv(PRODUCT_HEADER, product_rows(3)), producer_id=producer_id)
        assert await imports.write_products(session, drafts, actor_id=None) == 3
    honey = await session.scalar(select(Product).where(col(Product.name_vi) == "Mật ong rừng U Minh lô 2"))
    assert honey is not None and honey.producer_id == producer_id
    assert [(c.role, c.material_code, c.mass_g) for c in honey.packaging] == [
        (PackagingRole.PRIMARY, "GLASS", 250),
        (PackagingRole.CLOSURE, "STEEL_TIN", None),
    ]
    assert imports.packaging_cell(honey.packaging) == "primary:GLASS:250;closure:STEEL_TIN"


async def test_every_bad_row_is_named_with_its_column_and_nothing_is_written(session: AsyncSession) -> None:
    rows = product_rows(6)
    rows[0][2] = "no_such_category"
    rows[1][0] = ""
    rows[2][4] = "nửa ký"
    rows[3][7] = "primary:UNOBTAINIUM"
    rows[4][3] = rows[5][3]  # the same GTIN twice: the later row is the one named
    before = await _count(session, Product)
    with pytest.raises(ImportRejected) as rejected:
        await imports.check_products(session, to_csv(PRODUCT_HEADER, rows), producer_id=await _producer_id(session))
    assert [(p.row, p.column) for p in rejected.value.problems] == [
        (2, "category_code"),
        (3, "name_vi"),
        (4, "net_quantity"),
        (5, "packaging"),
        (7, "gtin"),
    ]
    assert "same GTIN as row 6" in rejected.value.problems[-1].message
    assert await _count(session, Product) == before


async def test_a_gtin_already_in_the_catalog_is_refused(session: AsyncSession) -> None:
    rows = product_rows(1)
    rows[0][3] = "2000000000015"  # Bò viên Thúy Lực's in-store number
    with pytest.raises(ImportRejected) as rejected:
        await imports.check_products(session, to_csv(PRODUCT_HEADER, rows), producer_id=await _producer_id(session))
    (problem,) = rejected.value.problems
    assert problem.column == "gtin" and "already belongs to product" in problem.message


async def test_unknown_and_missing_columns_are_header_problems(session: AsyncSession) -> None:
    data = to_csv(["name_vi", "gia_ban"], [["Mắm tôm", "50000"]])
    with pytest.raises(ImportRejected) as rejected:
        await imports.check_products(session, data, producer_id=await _producer_id(session))
    assert rejected.value.problems == [
        RowProblem(1, "category_code", "required column is missing"),
        RowProblem(1, "gia_ban", "unknown column"),
    ]


async def test_a_file_that_is_not_utf8_is_refused(session: AsyncSession) -> None:
    data = "name_vi,category_code\nCá khô,dried_seafood\n".encode("cp1258")
    with pytest.raises(ImportRejected) as rejected:
        await imports.check_products(session, data, producer_id=await _producer_id(session))
    assert "UTF-8" in rejected.value.problems[0].message


async def test_listings_are_found_by_gtin_or_id_with_prices_as_shops_write_them(session: AsyncSession) -> None:
    async with session.begin():
        store = await session.scalar(select(Store).where(col(Store.code) == "ST08"))
        beef = await session.scalar(select(Product).where(col(Product.code) == "P001"))
        other = await session.scalar(select(Product).where(col(Product.code) == "P002"))
        assert store is not None and store.id is not None and beef is not None and other is not None
        data = to_csv(
            ["gtin", "product_id", "price_vnd", "shelf"],
            [["2000000000015", "", "185.000 ₫", "Tủ đông 2"], ["", str(other.id), "42000", ""]],
        )
        drafts = await imports.check_listings(session, data, store_id=store.id)
        await imports.write_listings(session, store.id, drafts, actor_id=None)
    listing = await session.scalar(
        select(Listing).where(col(Listing.store_id) == store.id, col(Listing.product_id) == beef.id)
    )
    assert listing is not None and listing.price_vnd == 185000 and listing.shelf == "Tủ đông 2"


async def test_a_listing_row_for_an_unknown_product_names_the_row(session: AsyncSession) -> None:
    store = await session.scalar(select(Store).where(col(Store.code) == "ST01"))
    assert store is not None and store.id is not None
    data = to_csv(["gtin", "price_vnd"], [["2000000000015", "abc"], ["09506000134352", "1000"], ["4006381333931", ""]])
    with pytest.raises(ImportRejected) as rejected:
        await imports.check_listings(session, data, store_id=store.id)
    assert [(p.row, p.column) for p in rejected.value.problems] == [(2, "price_vnd"), (4, "gtin")]
