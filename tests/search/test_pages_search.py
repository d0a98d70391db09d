"""The consumer search page and product alternatives, answered by the real Meilisearch index."""

import re

import pytest

from tests.search.conftest import Client

pytestmark = pytest.mark.meili


def _cards(page: str) -> list[str]:
    return re.findall(r'<li class="card">\s*<a href="/p/[^"]+">([^<]+)</a>', page)


async def test_search_page_finds_fish_sauce_typed_without_diacritics(api: Client) -> None:
    page = await api.get("/search", params={"q": "nuoc mam", "lang": "vi"})
    assert page.status_code == 200
    cards = _cards(page.text)
    assert cards and all("mắm" in c.lower() for c in cards[:3])


async def test_search_page_offers_star_facets_that_count_only_valid_ratings(api: Client) -> None:
    page = (await api.get("/search", params={"min_stars": "4", "lang": "en"})).text
    found = int(re.search(r"(\d+) products? found", page).group(1))  # type: ignore[union-attr]
    listed = (await api.get("/api/v1/search", params={"min_stars": 4, "per_page": 100})).json()
    assert found == listed["total"] > 0
    assert all(hit["ocop_stars"] >= 4 for hit in listed["hits"])


async def test_product_page_explains_why_each_alternative_is_greener(api: Client) -> None:
    # The plainest dried shrimp: its substitute group (dried shrimp) holds greener ones.
    hits = (await api.get("/api/v1/search", params={"q": "tom kho", "per_page": 50})).json()["hits"]
    worst = next(h for h in hits if h["name_vi"] == "Tôm khô Cái Bát")
    page = (await api.get(f"/p/{worst['slug']}", params={"lang": "en"})).text
    greener = page[page.index('id="greener"') :]
    assert _cards(greener)
    assert greener.count("Greener because:") == len(_cards(greener))
