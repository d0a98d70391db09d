"""Search precision: results match all the words first; words are dropped only when nothing matches them all."""

import pytest

from tests.search.conftest import Client, names, search

pytestmark = pytest.mark.meili

FISH_SAUCES = {"Nước mắm Ngọc Trân", "Nước mắm Mạch Long (loại 40 độ đạm)"}


async def test_nuoc_mam_returns_fish_sauces_and_nothing_without_both_words(api: Client) -> None:
    body = await search(api, q="nuoc mam", per_page=50)
    found = names(body)

    assert set(found[:2]) == FISH_SAUCES
    assert not any(name.startswith(("Cà phê", "Nha đam", "Bột 5 loại đậu")) for name in found), found
    assert "Bắp bò ngâm nước mắm Thúy Lực" in found


async def test_fish_sauce_ranks_fish_sauces_before_salted_crab(api: Client) -> None:
    found = names(await search(api, q="fish sauce"))

    assert set(found[:2]) == FISH_SAUCES, found[:4]


async def test_words_are_dropped_only_when_nothing_matches_them_all(api: Client) -> None:
    found = names(await search(api, q="nuoc mam qqxqzz"))

    assert set(found[:2]) == FISH_SAUCES


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nuoc mamm", "Nước mắm Ngọc Trân"),
        ("honney", "Mật ong rừng tràm U Minh Hạ"),
        ("đũa", "Đũa đước Chí Nguyện"),
        ("dua", "Đũa đước Chí Nguyện"),
    ],
)
async def test_typos_and_missing_diacritics_are_still_forgiven(api: Client, query: str, expected: str) -> None:
    assert expected in names(await search(api, q=query, per_page=50))
