"""GS1 GTIN rules: check digits, normalisation to GTIN-14 and restricted-circulation numbers."""

from catalog.errors import InvalidGtin

VALID_LENGTHS = (8, 12, 13, 14)


def check_digit(body: str) -> int:
    """GS1 mod-10 check digit for the digits before it (weights 3,1,3,… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def to_gtin14(value: str) -> str:
    """Validate a GTIN-8/12/13/14 and return it zero-padded to 14 digits."""
    digits = value.strip()
    if not digits.isdigit() or not digits.isascii():
        raise InvalidGtin(f"GTIN must contain digits only, got {value!r}")
    if len(digits) not in VALID_LENGTHS:
        raise InvalidGtin(f"GTIN must have 8, 12, 13 or 14 digits, got {len(digits)}")
    expected = check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise InvalidGtin(
            f"GTIN {digits} has a wrong check digit: expected {expected}, got {digits[-1]}",
            expected_digit=expected,
        )
    return digits.zfill(14)


def is_restricted_circulation(gtin14: str) -> bool:
    """True for in-store numbers (GS1 prefixes 020–029 and 200–299) that must never be published."""
    if gtin14[0] != "0":
        return False
    gtin13 = gtin14[1:]
    return gtin13.startswith(("2", "02"))
