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
    """True for GS1 restricted-circulation numbers (in-store, in-company, coupons), never published.

    GS1 General Specifications 1.4: GTIN-13 prefixes 020–029, 040–049 and 200–299, GTIN-8 numbers starting
    with 0 or 2 (padded with six zeros), GTIN-12 numbers starting with 2 or 4 (padded with two zeros).
    GS1's own test number 0416000336108 is a 04x in-company number, so it is restricted too."""
    if gtin14[0] != "0":
        return False
    if gtin14.startswith("000000"):  # a GTIN-8
        return gtin14[6] in "02"
    if gtin14.startswith("00"):  # a GTIN-12 (a GTIN-13 starting with 0)
        return gtin14[2] in "24"
    return gtin14[1] == "2"  # a GTIN-13 in 200–299


def is_publishable(gtin14: str) -> bool:
    """A number that may ever be a public GS1 Digital Link: not all zeros, not restricted circulation."""
    return gtin14.strip("0") != "" and not is_restricted_circulation(gtin14)


def within_prefixes(gtin14: str, prefixes: list[str] | None) -> bool:
    """True when the GTIN was allocated under one of these GS1 company prefixes (compared on the GTIN-13)."""
    return any(gtin14[1:].startswith(prefix) for prefix in prefixes or [])


def clean_prefix(value: str) -> str:
    """A GS1 company prefix: 4 to 12 digits (GS1 Vietnam's start with 893)."""
    prefix = value.strip()
    if not (prefix.isascii() and prefix.isdigit() and 4 <= len(prefix) <= 12):
        raise InvalidGtin(f"a GS1 company prefix has 4 to 12 digits, got {value!r}")
    return prefix
