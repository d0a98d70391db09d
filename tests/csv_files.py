"""CSV files as producers and stores write them, for import tests."""

import csv
import io

from catalog import gtin

PRODUCT_HEADER = (
    "name_vi",
    "name_en",
    "category_code",
    "gtin",
    "net_quantity",
    "net_quantity_unit",
    "description_vi",
    "packaging",
)


def product_gtin(n: int) -> str:
    """A valid GTIN-13 under GS1's demonstration prefix, unused by the demo catalog."""
    body = f"950600{200000 + n:06d}"
    return body + str(gtin.check_digit(body))


def product_rows(count: int) -> list[list[str]]:
    """`count` valid product rows: honey from Ngọc Hiển in glass jars."""
    return [
        [
            f"Mật ong rừng U Minh lô {n}",
            f"U Minh forest honey batch {n}",
            "bee_products",
            product_gtin(n),
            "500",
            "g",
            "Mật ong hoa tràm, thu hoạch thủ công.",
            "primary:GLASS:250;closure:STEEL_TIN",
        ]
        for n in range(count)
    ]


def to_csv(header: tuple[str, ...] | list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 CSV bytes with the byte-order mark spreadsheet programs write."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
