"""Bulk CSV import of products (by a producer) and listings (by a store): all rows are checked, then all written.

Every row becomes a validated draft and every reference is looked up before anything is written. If any row is
wrong, ImportRejected lists each bad row and column and nothing is written; otherwise the caller's one transaction
holds all of it. Row numbers are those a spreadsheet shows: the header is row 1, the first product row 2.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import gtin as gtins
from catalog import products, stores
from catalog.categories import Category, OcopGroup
from catalog.errors import CatalogError, NotFound
from catalog.packaging import Material, PackagingComponent
from catalog.producers import Producer
from catalog.products import Product, ProductDraft, ProductStatus
from catalog.stores import ListingDraft

MAX_ROWS = 5000
PRODUCT_COLUMNS = (
    "name_vi",
    "name_en",
    "category_code",
    "ocop_group",
    "gtin",
    "net_quantity",
    "net_quantity_unit",
    "description_vi",
    "description_en",
    "packaging",
)
PRODUCT_REQUIRED = ("name_vi", "category_code")
LISTING_COLUMNS = ("gtin", "product_id", "price_vnd", "shelf")
# Prices as shops type them: "185000", "185.000", "185 000 ₫".
_PRICE_DECORATION = re.compile(r"[.,\s\u00a0]|₫|đ|vnd", re.IGNORECASE)
_QUERY_CHUNK = 500

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one row (or with the header, row 1)."""

    row: int
    column: str | None
    message: str


class ImportRejected(CatalogError):
    """The file has problems; nothing was written."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file; nothing was imported")
        self.problems = sorted(problems, key=lambda p: (p.row, p.column or ""))


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, str]


async def check_products(session: AsyncSession, data: bytes, *, producer_id: int) -> list[ProductDraft]:
    """Every row of a products CSV as a draft for `producer_id`, or ImportRejected naming each bad row."""
    if await session.get(Producer, producer_id) is None:
        raise NotFound(f"no producer with id {producer_id}", field="producer_id")
    rows = _read(data, PRODUCT_COLUMNS, required=PRODUCT_REQUIRED)
    problems: list[RowProblem] = []
    drafts: list[tuple[int, ProductDraft]] = []
    for row in rows:
        draft = _product_draft(row, producer_id, problems)
        if draft is not None:
            drafts.append((row.number, draft))
    await _check_product_references(session, drafts, problems)
    if problems:
        raise ImportRejected(problems)
    return [draft for _, draft in drafts]


async def write_products(
    session: AsyncSession, drafts: Iterable[ProductDraft], *, actor_id: int | None, progress: Progress | None = None
) -> int:
    """Create checked products in the caller's transaction, each with its audit and outbox rows."""
    written = 0
    for draft in drafts:
        await products.create(session, draft, actor_id=actor_id)
        written += 1
        if progress:
            progress(1)
    return written


async def check_listings(session: AsyncSession, data: bytes, *, store_id: int) -> list[ListingDraft]:
    """Every row of a listings CSV as a draft for `store_id`, or ImportRejected naming each bad row."""
    await stores.get(session, store_id)
    rows = _read(data, LISTING_COLUMNS, required=(), one_of=("gtin", "product_id"))
    problems: list[RowProblem] = []
    wanted: list[tuple[_Row, str | None, int | None]] = []
    for row in rows:
        gtin, product_id = _listing_product(row, problems)
        if gtin is not None or product_id is not None:
            wanted.append((row, gtin, product_id))
    by_gtin = await _product_ids(session, col(Product.gtin), {g for _, g, _ in wanted if g is not None})
    by_id = await _product_ids(session, col(Product.id), {i for _, _, i in wanted if i is not None})
    drafts: list[ListingDraft] = []
    seen: dict[int, int] = {}
    for row, gtin, product_id in wanted:
        resolved = _resolve_product(row, gtin, product_id, by_gtin, by_id, problems)
        if resolved is None:
            continue
        if resolved in seen:
            problems.append(
                RowProblem(row.number, "gtin" if gtin else "product_id", f"same product as row {seen[resolved]}")
            )
            continue
        seen[resolved] = row.number
        draft = _validated(
            ListingDraft,
            {"product_id": resolved, "price_vnd": _price(row, problems), "shelf": row.cells.get("shelf")},
            row,
            problems,
        )
        if draft is not None:
            drafts.append(draft)
    if problems:
        raise ImportRejected(problems)
    return drafts


async def write_listings(
    session: AsyncSession,
    store_id: int,
    drafts: Iterable[ListingDraft],
    *,
    actor_id: int | None,
    progress: Progress | None = None,
) -> int:
    """Stock (or update) checked listings in the caller's transaction, each audited and queued for the index."""
    written = 0
    for draft in drafts:
        await stores.upsert_listing(session, store_id, draft, actor_id=actor_id)
        written += 1
        if progress:
            progress(1)
    return written


def _read(data: bytes, columns: Sequence[str], *, required: Sequence[str], one_of: Sequence[str] = ()) -> list[_Row]:
    try:
        # utf-8-sig: spreadsheet programs put a byte-order mark in front of UTF-8 CSV files.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([RowProblem(1, None, f"the file is not UTF-8 text (byte {exc.start})")]) from exc
    records = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(records, [])]
    problems = [RowProblem(1, name or None, "unknown column") for name in header if name not in columns]
    problems += [RowProblem(1, name, "column appears twice") for name in set(header) if header.count(name) > 1]
    problems += [RowProblem(1, name, "required column is missing") for name in required if name not in header]
    if one_of and not any(name in header for name in one_of):
        problems.append(RowProblem(1, None, f"needs a {' or '.join(one_of)} column"))
    if not header:
        problems = [RowProblem(1, None, "the file is empty")]
    if problems:
        raise ImportRejected(problems)
    rows: list[_Row] = []
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportRejected([RowProblem(number, None, f"more than {MAX_ROWS} rows; split the file")])
        if len(record) > len(header):
            problems.append(RowProblem(number, None, f"{len(record)} cells, but the header names {len(header)}"))
            continue
        rows.append(
            _Row(number, {name: cell.strip() for name, cell in zip(header, record, strict=False) if cell.strip()})
        )
    if problems:
        raise ImportRejected(problems)
    return rows


def _product_draft(row: _Row, producer_id: int, problems: list[RowProblem]) -> ProductDraft | None:
    values: dict[str, Any] = {"producer_id": producer_id}
    known_problems = len(problems)
    for name, cell in row.cells.items():
        if name == "packaging":
            values["packaging"] = _packaging(cell, row, problems)
        elif name == "net_quantity":
            values["net_quantity"] = _number(cell, row, name, problems)
        else:
            values[name] = cell
    if len(problems) > known_problems:
        return None
    return _validated(ProductDraft, values, row, problems)


def _packaging(cell: str, row: _Row, problems: list[RowProblem]) -> list[dict[str, Any]]:
    """`role:MATERIAL[:mass_g]` items separated by `;`, e.g. `primary:GLASS:250;closure:PP`."""
    components: list[dict[str, Any]] = []
    for item in (part.strip() for part in cell.split(";")):
        if not item:
            continue
        parts = [p.strip() for p in item.split(":")]
        if len(parts) not in (2, 3) or not all(parts):
            problems.append(
                RowProblem(row.number, "packaging", f"{item!r} is not role:MATERIAL or role:MATERIAL:grams")
            )
            continue
        component: dict[str, Any] = {"role": parts[0].lower(), "material_code": parts[1].upper()}
        if len(parts) == 3:
            component["mass_g"] = _number(parts[2], row, "packaging", problems)
        components.append(component)
    return components


def _number(cell: str, row: _Row, column: str, problems: list[RowProblem]) -> float | None:
    try:
        return float(cell)
    except ValueError:
        problems.append(RowProblem(row.number, column, f"{cell!r} is not a number (write 500 or 0.5)"))
        return None


def parse_price_vnd(cell: str) -> int:
    """A price as Vietnamese write it ("95.000", "95 000 ₫", "95000") in whole đồng; ValueError otherwise.

    The one rule for prices typed by people: the CSV import and the portal's listing forms both use it.
    """
    digits = _PRICE_DECORATION.sub("", cell)
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"{cell!r} is not a whole number of đồng")
    return int(digits)


def _price(row: _Row, problems: list[RowProblem]) -> int | None:
    cell = row.cells.get("price_vnd")
    if cell is None:
        return None
    try:
        return parse_price_vnd(cell)
    except ValueError as exc:
        problems.append(RowProblem(row.number, "price_vnd", str(exc)))
        return None


def _listing_product(row: _Row, problems: list[RowProblem]) -> tuple[str | None, int | None]:
    gtin: str | None = None
    product_id: int | None = None
    if "gtin" in row.cells:
        try:
            gtin = gtins.to_gtin14(row.cells["gtin"])
        except CatalogError as exc:
            problems.append(RowProblem(row.number, "gtin", str(exc)))
    if "product_id" in row.cells:
        cell = row.cells["product_id"]
        if cell.isdigit() and cell.isascii():
            product_id = int(cell)
        else:
            problems.append(RowProblem(row.number, "product_id", f"{cell!r} is not a product id"))
    if "gtin" not in row.cells and "product_id" not in row.cells:
        problems.append(RowProblem(row.number, "gtin", "give the product's gtin or product_id"))
    return gtin, product_id


def _resolve_product(
    row: _Row,
    gtin: str | None,
    product_id: int | None,
    by_gtin: dict[Any, int],
    by_id: dict[Any, int],
    problems: list[RowProblem],
) -> int | None:
    from_gtin = by_gtin.get(gtin) if gtin is not None else None
    from_id = by_id.get(product_id) if product_id is not None else None
    if gtin is not None and from_gtin is None:
        problems.append(RowProblem(row.number, "gtin", f"no published product has GTIN {gtin}"))
        return None
    if product_id is not None and from_id is None:
        problems.append(RowProblem(row.number, "product_id", f"no published product has id {product_id}"))
        return None
    if from_gtin is not None and from_id is not None and from_gtin != from_id:
        problems.append(RowProblem(row.number, "product_id", f"GTIN {gtin} belongs to product {from_gtin}"))
        return None
    return from_gtin if from_gtin is not None else from_id


def _validated(model: Any, values: dict[str, Any], row: _Row, problems: list[RowProblem]) -> Any:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else None
            problems.append(RowProblem(row.number, column, error["msg"].removeprefix("Value error, ")))
        return None


async def _check_product_references(
    session: AsyncSession, drafts: list[tuple[int, ProductDraft]], problems: list[RowProblem]
) -> None:
    categories = await _existing(session, col(Category.code), {d.category_code for _, d in drafts})
    groups = await _existing(session, col(OcopGroup.code), {d.ocop_group for _, d in drafts if d.ocop_group})
    materials = await _existing(session, col(Material.code), {c.material_code for _, d in drafts for c in d.packaging})
    taken = await _product_ids(session, col(Product.gtin), {d.gtin for _, d in drafts if d.gtin}, published_only=False)
    first_row_of_gtin: dict[str, int] = {}
    for number, draft in drafts:
        if draft.category_code not in categories:
            problems.append(RowProblem(number, "category_code", f"unknown category {draft.category_code!r}"))
        if draft.ocop_group and draft.ocop_group not in groups:
            problems.append(RowProblem(number, "ocop_group", f"unknown OCOP group {draft.ocop_group!r}"))
        for component in draft.packaging:
            if component.material_code not in materials:
                problems.append(RowProblem(number, "packaging", f"unknown material {component.material_code!r}"))
        if draft.gtin:
            if draft.gtin in taken:
                problems.append(
                    RowProblem(number, "gtin", f"GTIN {draft.gtin} already belongs to product {taken[draft.gtin]}")
                )
            elif draft.gtin in first_row_of_gtin:
                problems.append(RowProblem(number, "gtin", f"same GTIN as row {first_row_of_gtin[draft.gtin]}"))
            else:
                first_row_of_gtin[draft.gtin] = number


async def _existing(session: AsyncSession, column: Any, values: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(values)):
        found.update((await session.execute(select(column).where(column.in_(chunk)))).scalars())
    return found


async def _product_ids(
    session: AsyncSession, column: Any, values: set[Any], *, published_only: bool = True
) -> dict[Any, int]:
    """Map each value of `column` found among (published) products to that product's id."""
    found: dict[Any, int] = {}
    for chunk in _chunks(sorted(values)):
        query = select(column, Product.id).where(column.in_(chunk))
        if published_only:
            query = query.where(col(Product.status) == ProductStatus.PUBLISHED)
        found.update({value: product_id for value, product_id in (await session.execute(query)).tuples()})
    return found


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _QUERY_CHUNK):
        yield values[start : start + _QUERY_CHUNK]


def packaging_cell(components: Iterable[PackagingComponent]) -> str:
    """A product's packaging in the import's `packaging` format, so an export reads back the same way."""
    return ";".join(
        f"{c.role.value}:{c.material_code}" + ("" if c.mass_g is None else f":{c.mass_g:.15g}") for c in components
    )
