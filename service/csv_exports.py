"""CSV exports for spreadsheets: a producer's products and a store's listings, safe to open in Excel."""

import csv
import io
from collections.abc import Iterable, Sequence

from catalog import imports
from catalog.products import Product
from catalog.stores import Listing

# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The import's column names and formats, led by which row it is (id) and its state (status, version).
PRODUCT_COLUMNS = ("id", "status", "version", *imports.PRODUCT_COLUMNS)
LISTING_COLUMNS = ("listing_id", "product_id", "gtin", "name_vi", "price_vnd", "shelf", "active")


def spreadsheet_safe(value: object) -> str:
    """The cell as text, with a leading quote when a spreadsheet would otherwise evaluate it."""
    cell = "" if value is None else str(value)
    return f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell


def write(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A UTF-8 CSV document (with the byte-order mark Excel needs to read Vietnamese correctly)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return out.getvalue()


def products_csv(products: Iterable[Product]) -> str:
    """A producer's products, in the import's column names (plus id, status and version)."""
    return write(PRODUCT_COLUMNS, ([_product_cells(p)[name] for name in PRODUCT_COLUMNS] for p in products))


def listings_csv(listings: Iterable[tuple[Listing, Product]]) -> str:
    """A store's listings, active or not, with the product's GTIN and name."""
    return write(
        LISTING_COLUMNS,
        (
            (listing.id, product.id, product.gtin, product.name_vi, listing.price_vnd, listing.shelf, listing.active)
            for listing, product in listings
        ),
    )


def _product_cells(product: Product) -> dict[str, object]:
    cells: dict[str, object] = {name: getattr(product, name, None) for name in PRODUCT_COLUMNS}
    cells["status"] = product.status.value
    cells["net_quantity"] = _number(product.net_quantity)
    cells["packaging"] = imports.packaging_cell(product.packaging)
    return cells


def _number(value: float | None) -> str | None:
    return None if value is None else f"{value:.15g}"
