from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import products
from catalog.errors import CatalogError, InvalidGtin
from service import digital_link

DEMO = "09506000134352"  # GS1's demonstration prefix 950; a fictional product in the demo catalog


def _refusal(path: str, query: str = "") -> CatalogError:
    with pytest.raises(CatalogError) as refused:
        digital_link.parse(path, query)
    return refused.value


def test_wrong_check_digit_names_the_expected_digit() -> None:
    refused = _refusal("/01/09506000134358")
    assert isinstance(refused, InvalidGtin)
    assert refused.expected_digit == 2
    assert "expected 2" in str(refused)
    assert refused.field == "gtin"


@pytest.mark.parametrize(
    ("path", "query", "field", "words"),
    [
        (f"/01/{DEMO}/", "", "path", "trailing"),
        (f"/01/{DEMO}//10/A1", "", "path", "empty segment"),
        (f"/01/{DEMO}/10", "", "path", "no value"),
        (f"/01/{DEMO}/21/S1/10/L1", "", "lot", "10 (lot) must come before 21 (serial)"),
        (f"/01/{DEMO}/10/L1/10/L2", "", "lot", "appears twice"),
        (f"/01/{DEMO}/01/{DEMO}", "", "path", "appears twice"),
        (f"/01/{DEMO}/17/201225", "", "path", "query attribute"),
        (f"/01/{DEMO}/10/L%C3%A91", "", "lot", "'é'"),
        (f"/01/{DEMO}/10/L%001", "", "lot", "NUL"),
        (f"/01/{DEMO}/10/ABCDEFGHIJKLMNOPQRSTU", "", "lot", "X..20"),
        (f"/01/{DEMO}/10/L 1", "", "path", "percent-encoded"),
        (f"/01/{DEMO}", "17=201225&17=201226", "17", "more than once"),
        (f"/01/{DEMO}", "linkType=all&linkType=pip", "linkType", "more than once"),
        (f"/01/{DEMO}", "17=2012", "17", "N2+N6"),
        (f"/01/{DEMO}", "00=123456789012345675", "00", "not a data attribute"),
        (f"/01/{DEMO}", "8200=https%3A%2F%2Fexample.com", "8200", "not a data attribute"),
        ("/01/0950600013435X", "", "gtin", "digits only"),
        ("/01/095060001343", "", "gtin", "wrong check digit"),
        ("/01/0950600013", "", "gtin", "8, 12, 13 or 14"),
    ],
)
def test_refusals_say_what_is_wrong_and_where(path: str, query: str, field: str, words: str) -> None:
    refused = _refusal(path, query)
    assert refused.field == field
    assert words in str(refused)


def test_short_gtin_is_padded_and_its_canonical_target_keeps_the_rest_byte_for_byte() -> None:
    link = digital_link.parse("/01/9506000134352/10/AB%2FC/21/7", "17=201225&linkType=all")
    assert link.short_gtin
    assert link.gtin == DEMO
    assert link.qualifiers == {"10": "AB/C", "21": "7"}
    assert link.canonical_target == f"/01/{DEMO}/10/AB%2FC/21/7?17=201225&linkType=all"


def test_in_store_numbers_are_not_published() -> None:
    assert not digital_link.is_published(digital_link.parse("/01/2000000000015"))
    assert digital_link.is_published(digital_link.parse(f"/01/{DEMO}"))


async def test_linkset_offers_the_page_in_both_languages_and_the_label_and_packaging_facts(
    session: AsyncSession, today: date
) -> None:
    product = await products.get_published_by_gtin(session, DEMO)
    link = digital_link.parse(f"/01/{DEMO}/10/LOT7")
    (entry,) = digital_link.linkset(link, product, "https://xanh.example", today)["linkset"]
    page = f"https://xanh.example/p/{product.slug}"
    assert entry["anchor"] == f"https://xanh.example/01/{DEMO}/10/LOT7"
    pip = entry["https://gs1.org/voc/pip"]
    assert [(t["href"], t["hreflang"]) for t in pip] == [(f"{page}?lang=vi", ["vi"]), (f"{page}?lang=en", ["en"])]
    assert pip[0]["title"] == product.name_vi
    assert all(t["type"] == "text/html" for t in pip)
    assert entry["https://gs1.org/voc/defaultLink"][0]["href"] == page
    certification = {t["href"] for t in entry["https://gs1.org/voc/certificationInfo"]}
    assert {f"{page}?lang=vi#labels", f"https://xanh.example/api/v1/products/{product.id}"} <= certification
    assert f"{page}?lang=en#packaging" in {t["href"] for t in entry["https://gs1.org/voc/sustainabilityInfo"]}


@pytest.mark.parametrize(
    ("link_type", "fragment"),
    [
        ("", ""),
        ("gs1:certificationInfo", "?lang=vi#labels"),
        ("sustainabilityInfo", "?lang=vi#packaging"),
        ("gs1:nonsense", ""),
    ],
)
async def test_link_type_picks_the_target_and_anything_unknown_falls_back_to_the_default(
    session: AsyncSession, today: date, link_type: str, fragment: str
) -> None:
    product = await products.get_published_by_gtin(session, DEMO)
    link = digital_link.parse(f"/01/{DEMO}", f"linkType={link_type}")
    assert digital_link.target(link, product, "", today) == f"/p/{product.slug}{fragment}"
