import pytest

from catalog import gtin
from catalog.errors import InvalidGtin


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("08936012345674", "08936012345674"),
        ("8936012345674", "08936012345674"),
        ("96385074", "00000096385074"),
        ("036000291452", "00036000291452"),
        ("09506000134352", "09506000134352"),
    ],
)
def test_valid_gtins_normalise_to_gtin14(value: str, expected: str) -> None:
    assert gtin.to_gtin14(value) == expected


def test_wrong_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(InvalidGtin) as error:
        gtin.to_gtin14("08936012345678")
    assert error.value.expected_digit == 4
    assert "expected 4" in str(error.value)


@pytest.mark.parametrize("value", ["", "123", "0893601234567A", "123456789012345", "８９３６０１２３４５６７４"])
def test_malformed_gtins_are_refused(value: str) -> None:
    with pytest.raises(InvalidGtin):
        gtin.to_gtin14(value)


@pytest.mark.parametrize(
    ("value", "restricted"),
    [("2000000000015", True), ("0212345678909", True), ("8936012345674", False), ("09506000134352", False)],
)
def test_in_store_numbers_are_flagged_as_restricted_circulation(value: str, restricted: bool) -> None:
    assert gtin.is_restricted_circulation(gtin.to_gtin14(value)) is restricted
