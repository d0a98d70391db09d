"""Prices in đồng as people type them: one rule for the portal and the CSV import.

Vietnamese write thousands with dots ("95.000"); spaces ("95 000") and English commas ("95,000") are accepted
too, as is a trailing "₫", "đ" or "VND". Separators must split the number into groups of exactly three digits,
so "95,5" (a decimal comma) and "9.5.0" are refused rather than guessed at: đồng have no fractions.
"""

import re

from catalog.errors import CatalogError

MAX_VND = 1_000_000_000
_CURRENCY = re.compile(r"\s*(₫|đ|vnđ|vnd|dong|đồng)\s*$", re.IGNORECASE)
# 1–3 leading digits, then groups of three after one separator kind (dot, comma, space or no-break space).
_GROUPED = re.compile(r"^\d{1,3}(?P<sep>[.,  \u202f])\d{3}(?:(?P=sep)\d{3})*$")


class InvalidPrice(CatalogError, ValueError):
    """A price that is not a whole number of đồng written unambiguously."""

    field = "price_vnd"


def parse_vnd(value: str) -> int:
    """A typed price as whole đồng: "95.000", "95 000", "95000", "95.000 ₫" → 95000; refuses guesses."""
    cell = _CURRENCY.sub("", value.strip()).strip()
    if cell.isascii() and cell.isdigit():
        amount = int(cell)
    elif _GROUPED.match(cell):
        amount = int(re.sub(r"\D", "", cell))
    else:
        raise InvalidPrice(f"{value!r} is not a whole number of đồng: write 95000 or 95.000 (dots between thousands)")
    if amount > MAX_VND:
        raise InvalidPrice(f"{value!r} is more than {MAX_VND:,} đồng")
    return amount
