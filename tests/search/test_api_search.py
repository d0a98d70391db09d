"""GET /api/v1/search on the demo catalog, answered by a real Meilisearch (the shared demo index)."""

from typing import Any

import pytest

from tests.search.conftest import Client, names, search

pytestmark = pytest.mark.meili

FISH_SAUCES = {"Nước mắm Ngọc Trân", "Nước mắm Mạch Long (loại 40 độ đạm)"}


async def all_products(api: Client) -> list[dict[str, Any]]:
    return (await api.get("/api/v1/products", params={"per_page": 100})).json()["items"]  # type: ignore[no-any-return]


async def test_unaccented_nuoc_mam_finds_the_fish_sauces_first(api: Client) -> None:
    assert set(names(await search(api, q="nuoc mam"))[:2]) == FISH_SAUCES


async def test_dua_duoc_finds_the_mangrove_wood_chopsticks(api: Client) -> None:
    assert names(await search(api, q="dua duoc"))[0] == "Đũa đước Chí Nguyện"


async def test_mat_ong_u_minh_puts_u_minh_honey_first(api: Client) -> None:
    assert names(await search(api, q="mat ong u minh"))[0] == "Mật ong rừng tràm U Minh Hạ"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chopstiks", "Đũa đước Chí Nguyện"),
        ("nuoc mamm", "Nước mắm Ngọc Trân"),
        ("hony", "Mật ong rừng tràm U Minh Hạ"),
    ],
)
async def test_a_query_with_one_typo_still_finds_its_product(api: Client, query: str, expected: str) -> None:
    assert expected in names(await search(api, q=query))[:2]


async def test_tui_nilon_and_tui_ni_long_give_the_same_hits(api: Client) -> None:
    nilon = set(names(await search(api, q="túi nilon")))
    assert "Túi mua sắm sinh học phân hủy hoàn toàn 30×40 cm (cuộn 50 túi)" in nilon
    assert set(names(await search(api, q="túi ni lông"))) == nilon


async def test_english_fish_sauce_finds_the_fish_sauces(api: Client) -> None:
    assert set(names(await search(api, q="fish sauce"))[:4]) >= FISH_SAUCES


async def test_exact_diacritics_rank_before_other_spellings_of_the_same_letters(api: Client) -> None:
    assert names(await search(api, q="cà"))[0].startswith("Cà phê")
    assert "cá" in names(await search(api, q="cá"))[0].lower().split()
    assert names(await search(api, q="mắm"))[0].split()[0] == "Mắm"  # before "Nước mắm", and never "mầm"


async def test_min_stars_4_returns_only_products_with_a_valid_4_or_5_star_rating(api: Client) -> None:
    body = await search(api, min_stars=4)
    expected = {p["name_vi"] for p in await all_products(api) if (p["ocop_stars"] or 0) >= 4}
    assert set(names(body)) == expected and body["total"] == len(expected)
    assert set(body["facets"]["ocop_stars"]) <= {"4", "5"}
    for product_id in (hit["id"] for hit in body["hits"]):
        certifications = (await api.get(f"/api/v1/products/{product_id}")).json()["certifications"]
        assert any(c["valid_now"] and (c["ocop_stars"] or 0) >= 4 for c in certifications)


async def test_expired_ocop_rating_is_not_a_search_facet_or_filter_result(api: Client) -> None:
    everything = await all_products(api)
    valid_ocop = {p["name_vi"] for p in everything if p["ocop_stars"]}
    expired_only = {p["name_vi"] for p in everything if not p["ocop_stars"]} & {
        p["name_vi"] for p in everything if any(c["scheme"] == "OCOP" for c in p["certifications"])
    }
    assert "Nước mắm Ngọc Trân" in expired_only
    facets = (await search(api))["facets"]
    assert facets["labels"]["OCOP"] == len(valid_ocop)
    assert sum(facets["ocop_stars"].values()) == len(valid_ocop)
    assert set(names(await search(api, labels="OCOP"))) == valid_ocop
    assert set(names(await search(api, min_stars=3))) == valid_ocop
    fish_sauce = (await search(api, q="Nước mắm Ngọc Trân"))["hits"][0]
    assert fish_sauce["name_vi"] == "Nước mắm Ngọc Trân"
    assert fish_sauce["labels"] == [] and fish_sauce["ocop_stars"] is None


async def test_labels_are_any_of_and_filters_combine(api: Client) -> None:
    body = await search(api, labels=["VN_ECOLABEL", "MSC"])
    assert {tuple(h["labels"]) for h in body["hits"]} == {("VN_ECOLABEL",), ("MSC",)}
    plastic_free_sauces = await search(api, category="sauces_fermented", plastic_free="true")
    assert plastic_free_sauces["total"] > 0
    assert all(h["plastic_free"] and h["category"] == "sauces_fermented" for h in plastic_free_sauces["hits"])


async def test_store_filter_returns_what_the_store_stocks(api: Client) -> None:
    store = (await api.get("/api/v1/stores")).json()["items"][0]["id"]
    stocked = (await api.get("/api/v1/products", params={"store": store, "per_page": 100})).json()["items"]
    assert {h["id"] for h in (await search(api, store=store))["hits"]} == {p["id"] for p in stocked}


async def test_filter_values_cannot_change_the_filter(api: Client) -> None:
    response = await api.get("/api/v1/search", params={"category": 'x" OR category = "sauces_fermented'})
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "category"
    labels = await api.get("/api/v1/search", params={"labels": 'OCOP" OR labels = "MSC'})
    assert labels.status_code == 400


async def test_matches_are_highlighted_as_html_safe_text(api: Client) -> None:
    hits = (await search(api, q="túi tự hủy"))["hits"]
    bin_bags = next(h for h in hits if h["name_vi"].startswith("Túi rác"))
    assert "<mark>Túi</mark>" in bin_bags["highlight"]["name_vi"]
    assert "&#x27;" in bin_bags["highlight"]["name_vi"] and "'" not in bin_bags["highlight"]["name_vi"]


async def test_pages_do_not_overlap_and_share_the_total(api: Client) -> None:
    first = (await api.get("/api/v1/search", params={"q": "tôm", "per_page": 5})).json()
    second = (await api.get("/api/v1/search", params={"q": "tôm", "per_page": 5, "page": 2})).json()
    assert first["total"] == second["total"] > 10
    assert {h["id"] for h in first["hits"]}.isdisjoint({h["id"] for h in second["hits"]})


async def test_out_of_range_parameters_are_refused_naming_the_field(api: Client) -> None:
    response = await api.get("/api/v1/search", params={"min_stars": 9})
    assert response.status_code == 400
    assert [e["key"] for e in response.json()["extra"]] == ["min_stars"]


async def test_health_reports_search_ok_when_meilisearch_answers(api: Client) -> None:
    assert (await api.get("/healthz")).json() == {"status": "ok", "database": "ok", "search": "ok"}
