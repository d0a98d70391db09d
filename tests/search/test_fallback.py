"""Without Meilisearch, search answers from SQL with `degraded: true`, in the same shapes."""

from typing import Any

import pytest

from tests.search.conftest import Client


async def degraded_search(client: Client, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/search", params={"per_page": 100, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["degraded"] is True
    return body


def names(body: dict[str, Any]) -> list[str]:
    return [hit["name_vi"] for hit in body["hits"]]


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
    assert names(await degraded_search(client, q=query))[0] == first


async def test_sql_fallback_highlights_whole_word_starts(client: Client) -> None:
    (honey,) = (await degraded_search(client, q="mat ong u minh"))["hits"]
    assert (
        honey["highlight"]["name_vi"]
        == "<mark>Mật</mark> <mark>ong</mark> rừng tràm <mark>U</mark> <mark>Minh</mark> Hạ"
    )


async def test_sql_fallback_never_counts_an_expired_rating(client: Client) -> None:
    body = await degraded_search(client, min_stars=3)
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
    from_sql = await degraded_search(client, **params)
    from_index = (await api.get("/api/v1/search", params={"per_page": 100, **params})).json()
    assert from_index["degraded"] is False
    assert from_sql["facets"] == from_index["facets"]
    assert {h["id"] for h in from_sql["hits"]} == {h["id"] for h in from_index["hits"]}
