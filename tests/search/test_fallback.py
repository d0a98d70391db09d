"""Without Meilisearch, search answers from SQL with `degraded: true`, in the same shapes."""

from typing import Any

import pytest

from tests.search.conftest import Client, names, search


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("nuoc mam", "Nước mắm Ngọc Trân"),
        ("dua duoc", "Đũa đước Chí Nguyện"),
        ("ĐŨA ĐƯỚC", "Đũa đước Chí Nguyện"),
        ("mat ong u minh", "Mật ong rừng tràm U Minh Hạ"),
        ("fish sauce", "Nước mắm Ngọc Trân"),
    ],
)
async def test_sql_fallback_ignores_diacritics_and_folds_d(client: Client, query: str, first: str) -> None:
    assert names(await search(client, degraded=True, q=query))[0] == first


async def test_sql_fallback_highlights_whole_word_starts(client: Client) -> None:
    (honey,) = (await search(client, degraded=True, q="mat ong u minh"))["hits"]
    assert (
        honey["highlight"]["name_vi"]
        == "<mark>Mật</mark> <mark>ong</mark> rừng tràm <mark>U</mark> <mark>Minh</mark> Hạ"
    )


async def test_sql_fallback_never_counts_an_expired_rating(client: Client) -> None:
    body = await search(client, degraded=True, min_stars=3)
    assert "Nước mắm Ngọc Trân" not in names(body)
    assert set(body["facets"]["ocop_stars"]) <= {"4", "5"}
    everything = (await client.get("/api/v1/products", params={"per_page": 100})).json()["items"]
    assert body["total"] == sum(1 for p in everything if p["ocop_stars"])


@pytest.mark.meili
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"min_stars": 4},
        {"plastic_free": "true"},
        {"labels": ["VN_ECOLABEL", "OCOP"]},
        {"category": "dried_seafood"},
    ],
)
async def test_sql_fallback_filters_and_counts_facets_like_meilisearch(
    client: Client, api: Client, params: dict[str, Any]
) -> None:
    from_sql = await search(client, degraded=True, **params)
    from_index = await search(api, **params)
    assert from_sql["facets"] == from_index["facets"]
    assert {h["id"] for h in from_sql["hits"]} == {h["id"] for h in from_index["hits"]}
